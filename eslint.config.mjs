import nx from "@nx/eslint-plugin";

/** Where test code lives: it alone may import libs tagged `type:testing`. */
const TEST_FILES = ["**/*.spec.ts", "**/*.e2e.ts", "**/src/test/**/*.ts", "**/src/testing/**/*.ts", "**/jest.config.cts"];

/**
 * Apps host libs; the contract imports nothing of ours; the Nest and Angular
 * sides never import each other; testing libs (`type:testing`) are for test
 * code only, so production code and the published packages never reach them.
 */
function moduleBoundaries({ withTestingLibs }) {
    const testing = withTestingLibs ? ["type:testing"] : [];
    return {
        // Test code is never built into a package.
        enforceBuildableLibDependency: !withTestingLibs,
        allow: ["^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$"],
        depConstraints: [
            { sourceTag: "type:app", onlyDependOnLibsWithTags: ["type:lib", "type:contract", ...testing] },
            { sourceTag: "type:lib", onlyDependOnLibsWithTags: ["type:lib", "type:contract", ...testing] },
            { sourceTag: "type:e2e", onlyDependOnLibsWithTags: ["type:lib", "type:contract", "type:testing"] },
            { sourceTag: "type:testing", onlyDependOnLibsWithTags: ["type:lib", "type:contract", "type:testing"] },
            { sourceTag: "type:contract", onlyDependOnLibsWithTags: [] },
            { sourceTag: "scope:api", onlyDependOnLibsWithTags: ["scope:api", "scope:shared"] },
            { sourceTag: "scope:web", onlyDependOnLibsWithTags: ["scope:web", "scope:shared"] },
            { sourceTag: "scope:shared", onlyDependOnLibsWithTags: ["scope:shared"] }
        ]
    };
}

export default [
    ...nx.configs["flat/base"],
    ...nx.configs["flat/typescript"],
    ...nx.configs["flat/javascript"],
    {
        ignores: [
            "**/dist",
            "**/out-tsc"
        ]
    },
    {
        files: ["**/*.ts", "**/*.tsx", "**/*.js", "**/*.jsx"],
        rules: { "@nx/enforce-module-boundaries": ["error", moduleBoundaries({ withTestingLibs: false })] }
    },
    {
        // Specs, test suites and spec support may use the testing libs; nothing else may.
        files: TEST_FILES,
        rules: { "@nx/enforce-module-boundaries": ["error", moduleBoundaries({ withTestingLibs: true })] }
    },
    {
        files: [
            "**/*.ts",
            "**/*.tsx",
            "**/*.cts",
            "**/*.mts",
            "**/*.js",
            "**/*.jsx",
            "**/*.cjs",
            "**/*.mjs"
        ],
        // Override or add rules here
        rules: {}
    }
];
