#!/usr/bin/env python3
# extract-lessons.py OUTPUT.pot LESSON...
#
# xgettext cannot read the lesson language, so this writes the lessons'
# translatable texts as a template:
#  - the explanation: the comment block at the top of the file, its first
#    line the title and the rest paragraphs, each line of a paragraph
#    joined to the next with a space, exactly as fs_script_get_title() and
#    fs_script_get_description() give them (FsLesson translates each);
#  - each `say` statement's text, joined the way the script parser joins it
#    (words separated by one space, quotes removed, as in the shell). A
#    `# Translators:` comment right above a `say` becomes the entry's
#    comment, as xgettext does for C.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import shlex
import sys


def quote(text):
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    return '"' + text.replace("\n", "\\n") + '"'


def add(entries, order, text, ref, comments):
    if text not in entries:
        entries[text] = {"refs": [], "comments": []}
        order.append(text)
    entries[text]["refs"].append(ref)
    for c in comments:
        if c not in entries[text]["comments"]:
            entries[text]["comments"].append(c)


def extract_header(path, entries, order):
    """The title and paragraphs, as read_header() in src/core/fs-script.c."""
    title = None
    paragraphs = []   # [first line number, [texts]]
    new_paragraph = False
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            line = line.rstrip("\n").lstrip(" \t")
            if not line.startswith("#"):
                break
            if number == 1 and line.startswith("#!"):
                continue
            text = line[1:].strip()
            if title is None:
                if text:
                    title = (number, text)
                continue
            if not text:
                new_paragraph = bool(paragraphs)
                continue
            if new_paragraph or not paragraphs:
                paragraphs.append([number, [text]])
            else:
                paragraphs[-1][1].append(text)
            new_paragraph = False
    if title is not None:
        add(entries, order, title[1], f"{path}:{title[0]}",
            ["Translators: the title of a lesson"])
    for number, texts in paragraphs:
        add(entries, order, " ".join(texts), f"{path}:{number}",
            ["Translators: a paragraph of a lesson's explanation; "
             "names in the lesson's statements (like z, th1, pool, "
             "\"set reap join\") stay as they are"])


def extract(path, entries, order):
    extract_header(path, entries, order)
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
                add(entries, order, " ".join(words[1:]), f"{path}:{number}",
                    comment or [])
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
