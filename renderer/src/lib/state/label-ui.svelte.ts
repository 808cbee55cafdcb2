// Overlay state of the Label view (preview, shortcut sheet); kept apart from data state.
export class LabelUiState {
  previewOpen = $state(false);
  helpOpen = $state(false);
}
