import { initAll } from "/static/govuk/govuk-frontend.min.js";

initAll();

// "Print this letter": a button, shown only where JavaScript runs (the Content-Security-Policy
// allows no inline script or javascript: link). Without it, the browser's own Print works.
for (const button of document.querySelectorAll("[data-eh-print]")) {
  button.addEventListener("click", () => window.print());
}
