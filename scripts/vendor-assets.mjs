// Copy the pinned front-end packages from node_modules into static/vendor/ (git-ignored), with the version in the name.
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";

const version = (name) => JSON.parse(readFileSync(`node_modules/${name}/package.json`, "utf8")).version;
const files = [
  [`node_modules/htmx.org/dist/htmx.min.js`, `htmx-${version("htmx.org")}.min.js`],
  [`node_modules/@picocss/pico/css/pico.min.css`, `pico-${version("@picocss/pico")}.min.css`],
];
mkdirSync("static/vendor", { recursive: true });
for (const old of readdirSync("static/vendor")) rmSync(`static/vendor/${old}`);
for (const [from, to] of files) {
  copyFileSync(from, `static/vendor/${to}`);
  console.log(`static/vendor/${to}`);
}
