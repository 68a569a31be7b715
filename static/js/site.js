// Starts the NHS.UK frontend components. Loaded as a module, so it runs only in browsers that
// the components support; every page works without it.
import { initAll } from "../vendor/nhsuk/nhsuk-frontend.min.js";

initAll();
