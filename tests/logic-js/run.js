// Reads a JSON array of [rule, data] pairs on stdin and prints, as one JSON
// array, what json-logic-js (the reference implementation of JSON Logic)
// gives for each: {"value": V}, or {"error": MESSAGE} when it throws.
// JavaScript values that JSON cannot hold are written as markers, so that the
// Rust side can tell them from null: {"$js": "undefined"}, {"$js": "NaN"},
// {"$js": "Infinity"}, {"$js": "-Infinity"}, {"$js": "function"}.
"use strict";
const jsonLogic = require("json-logic-js");

// `log` prints with console.log; stdout carries the results.
console.log = () => {};

function encode(value) {
  if (value === undefined) return { $js: "undefined" };
  if (typeof value === "function") return { $js: "function" };
  if (typeof value === "number" && !Number.isFinite(value)) return { $js: String(value) };
  if (Array.isArray(value)) return value.map(encode);
  if (value !== null && typeof value === "object") {
    const out = {};
    for (const key of Object.keys(value)) out[key] = encode(value[key]);
    return out;
  }
  return value;
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const results = JSON.parse(input).map(([rule, data]) => {
    try {
      return { value: encode(jsonLogic.apply(rule, data)) };
    } catch (error) {
      return { error: String(error && error.message) };
    }
  });
  process.stdout.write(JSON.stringify(results));
});
