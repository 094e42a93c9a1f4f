// Starts GOV.UK Frontend's components. Every page also works without this file.
import { initAll } from "./govuk-frontend.min.js";

initAll();
