// OCA's prettier settings for 18.0+ (oca-addons-repo-template). The XML plugin
// is given on the command line by scripts/prettier.sh (installed by the set-up
// outside the repository).
/** @type {import('prettier').Config} */
const config = {
    bracketSpacing: false,
    printWidth: 88,
    proseWrap: "always",
    semi: true,
    trailingComma: "es5",
    xmlWhitespaceSensitivity: "preserve",
};

module.exports = config;
