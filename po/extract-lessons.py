#!/usr/bin/env python3
# extract-lessons.py OUTPUT.pot LESSON...
#
# xgettext cannot read the lesson language, so this writes the lessons'
# translatable texts as a template: each `say` statement's text, joined the
# way the script parser joins it (words separated by one space, quotes
# removed, as in the shell). A `# Translators:` comment right above a `say`
# becomes the entry's comment, as xgettext does for C.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import shlex
import sys


def quote(text):
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    return '"' + text.replace("\n", "\\n") + '"'


def extract(path, entries, order):
    comment = None
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            stripped = line.strip()
            if stripped.startswith("#"):
                body = stripped.lstrip("#").strip()
                if body.startswith("Translators:"):
                    comment = [body]
                elif comment is not None and body:
                    comment.append(body)
                continue
            try:
                words = shlex.split(line, comments=True)
            except ValueError as e:
                sys.exit(f"{path}:{number}: cannot split the line: {e}")
            if len(words) >= 2 and words[0] == "say":
                text = " ".join(words[1:])
                if text not in entries:
                    entries[text] = {"refs": [], "comments": []}
                    order.append(text)
                entries[text]["refs"].append(f"{path}:{number}")
                if comment:
                    entries[text]["comments"].extend(comment)
            comment = None


def main():
    output, lessons = sys.argv[1], sys.argv[2:]
    entries, order = {}, []
    for path in lessons:
        extract(path, entries, order)
    with open(output, "w", encoding="utf-8") as out:
        out.write('msgid ""\nmsgstr ""\n'
                  '"Content-Type: text/plain; charset=UTF-8\\n"\n'
                  '"Content-Transfer-Encoding: 8bit\\n"\n')
        for text in order:
            entry = entries[text]
            out.write("\n")
            for c in entry["comments"]:
                out.write(f"#. {c}\n")
            out.write("#: " + " ".join(entry["refs"]) + "\n")
            out.write(f"msgid {quote(text)}\nmsgstr \"\"\n")


if __name__ == "__main__":
    main()
