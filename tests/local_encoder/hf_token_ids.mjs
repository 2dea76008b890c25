// Token ids of texts by Hugging Face's tokenizers.js (npm @huggingface/tokenizers), reading the same
// tokenizer.json the C++ tokenizer reads: an implementation by the tokenizer format's authors that
// shares nothing with cinerec or with make_models.py's Python WordPiece.
//
// Usage: node hf_token_ids.mjs MODEL_DIR TEXTS_JSON
//   TEXTS_JSON: a JSON array of strings. Writes MODEL_DIR/hf_reference.json:
//   {"tokenizer": "@huggingface/tokenizers <version>", "cases": [{"text": ..., "ids": [...]}]}
//   with the ids of each text without the special tokens the post-processor adds.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Tokenizer } from "@huggingface/tokenizers";

const [modelDir, textsFile] = process.argv.slice(2);
if (!modelDir || !textsFile) {
  console.error("usage: node hf_token_ids.mjs MODEL_DIR TEXTS_JSON");
  process.exit(2);
}
const tokenizerJson = JSON.parse(fs.readFileSync(path.join(modelDir, "tokenizer.json"), "utf8"));
const texts = JSON.parse(fs.readFileSync(textsFile, "utf8"));
const tokenizer = new Tokenizer(tokenizerJson, {});
const here = path.dirname(fileURLToPath(import.meta.url));
const { version } = JSON.parse(
  fs.readFileSync(path.join(here, "node_modules", "@huggingface", "tokenizers", "package.json"), "utf8"));
const cases = texts.map((text) => ({ text, ids: tokenizer.encode(text, { add_special_tokens: false }).ids }));
fs.writeFileSync(path.join(modelDir, "hf_reference.json"),
                 JSON.stringify({ tokenizer: `@huggingface/tokenizers ${version}`, cases }));
