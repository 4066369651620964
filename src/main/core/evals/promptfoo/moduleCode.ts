/**
 * A JavaScript file from a suite (`file://check.js`, `file://transform.js:fn`) as one expression
 * for the sandbox: the file's text is wrapped in a function with its own `module`/`exports`, and
 * the exported function is called with `output` and `context` (a Nunjucks filter: with its value
 * and then each argument of the filter call, `context` being that list). The text is never evaluated in
 * Node; inside QuickJS there is no `require`, so a file that needs modules fails with that reason.
 */
export function moduleCallCode(source: string, fn: string | null, call: 'assertion' | 'filter' = 'assertion'): string {
  // ES module syntax in a function body: the common export forms become assignments.
  const body = source
    .replace(/^\s*export\s+default\s+/m, 'module.exports.default = ')
    .replace(/^\s*export\s+(async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)/gm, (_m, asyncKw: string | undefined, name: string) => `module.exports.${name} = ${asyncKw ?? ''}function ${name}`)
    .replace(/^\s*export\s+(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=/gm, (_m, name: string) => `module.exports.${name} =`);
  const pick = fn
    ? `__m[${JSON.stringify(fn)}]`
    : `(typeof __m === 'function' ? __m : (__m && typeof __m.default === 'function' ? __m.default : __m))`;
  return `(() => {
const module = { exports: {} };
let exports = module.exports;
${body}
;const __m = module.exports;
const __f = ${pick};
if (typeof __f !== 'function') throw new TypeError(${JSON.stringify(`the file does not export a function${fn ? ` named ${fn}` : ''}`)});
return ${call === 'filter' ? '__f(output, ...context)' : '__f(output, context)'};
})()`;
}
