// The application form's autosave (htmx) says so when a save fails, so nobody believes their
// latest words are kept when they are not. The "Save" buttons work with or without this.
const STATUS_ID = "autosave-status";
const FAILED =
  "Your latest changes have not been saved. Select \u201cSave and come back later\u201d to save them.";

function showFailure(event) {
  const target = event.detail && event.detail.target;
  if (target && target.id === STATUS_ID) {
    target.textContent = FAILED;
  }
}

document.addEventListener("htmx:responseError", showFailure);
document.addEventListener("htmx:sendError", showFailure);
