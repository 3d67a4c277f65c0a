// Starts the NHS.UK frontend's components (error summaries, the header menu, buttons).
// A file of its own because our Content-Security-Policy allows no inline script. Without JavaScript
// nothing is hidden: the class below is what lets the frontend's CSS hide unchosen reveals.
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

document.body.classList.add("nhsuk-frontend-supported");
initAll();

// Conditional reveals for radios, done here rather than by the frontend's Radios component: that
// sets aria-expanded on each radio, which ARIA does not allow on role=radio (axe: aria-allowed-attr).
// Each radio names the part it reveals with aria-controls, as the frontend's markup does.
function syncReveals(group) {
  for (const radio of group.querySelectorAll('input[type="radio"][aria-controls]')) {
    const part = document.getElementById(radio.getAttribute("aria-controls"));
    if (part) part.classList.toggle("nhsuk-radios__conditional--hidden", !radio.checked);
  }
}
for (const group of document.querySelectorAll(".nhsuk-radios--conditional")) {
  syncReveals(group);
  group.addEventListener("change", () => syncReveals(group));
}
