#!/usr/bin/env python3
# check-flatpak-manifest.py MANIFEST
#
# The Flatpak manifest is valid JSON with the keys a GNOME app needs, builds
# the app with meson from this tree and runs its tests, and asks for least
# privilege: exactly the finish-args below, nothing else. Forkscope manages
# only its own processes, so it needs no host access; a new permission needs
# a written reason in the README and a change here.
#
# If flatpak-builder is installed, it parses the manifest too, with unknown
# keys and wrong types made fatal.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import shutil
import subprocess
import sys
import tempfile

ALLOWED_FINISH_ARGS = [
    "--socket=wayland",
    "--socket=fallback-x11",
    "--share=ipc",
    "--device=dri",
]
APP_ID = "io.github.forkscope.Forkscope"

errors = []


def check(condition, message):
    if not condition:
        errors.append(message)


def main():
    path = sys.argv[1]
    with open(path, encoding="utf-8") as f:
        try:
            manifest = json.load(f)
        except json.JSONDecodeError as e:
            print(f"{path}: not valid JSON: {e}", file=sys.stderr)
            return 1

    check(manifest.get("id", manifest.get("app-id")) == APP_ID, f"id must be {APP_ID}")
    check(manifest.get("runtime") == "org.gnome.Platform", "runtime must be org.gnome.Platform")
    check(manifest.get("sdk") == "org.gnome.Sdk", "sdk must be org.gnome.Sdk")
    version = str(manifest.get("runtime-version", ""))
    check(version.isdigit() and int(version) >= 47,
          f"runtime-version must be a current GNOME release, not {version!r}")
    check(manifest.get("command") == "forkscope", "command must be forkscope")

    finish_args = manifest.get("finish-args", [])
    check(sorted(finish_args) == sorted(ALLOWED_FINISH_ARGS),
          f"finish-args must be exactly {ALLOWED_FINISH_ARGS}, not {finish_args}")

    cleanup = manifest.get("cleanup", [])
    for entry in ("/include", "/lib/pkgconfig", "*.a"):
        check(entry in cleanup, f"cleanup lacks {entry}")

    modules = manifest.get("modules", [])
    check(isinstance(modules, list) and modules, "no modules")
    app = modules[-1] if modules else {}
    check(isinstance(app, dict) and app.get("name") == "forkscope",
          "the last module must be forkscope")
    check(app.get("buildsystem") == "meson", "the app module must build with meson")
    check(app.get("builddir") is True, "the app module must set builddir")
    check(app.get("run-tests") is True, "the app module must run its tests")
    sources = app.get("sources", [])
    check(any(s.get("type") == "dir" and
              os.path.realpath(os.path.join(os.path.dirname(path), s.get("path", ""))) ==
              os.path.realpath(os.path.join(os.path.dirname(path), ".."))
              for s in sources if isinstance(s, dict)),
          "the app module must build this tree (a dir source with path \"..\")")
    # The build must not reach the network: every source is local.
    for module in modules:
        for s in module.get("sources", []) if isinstance(module, dict) else []:
            check(isinstance(s, dict) and s.get("type") in ("dir", "file", "patch"),
                  f"module {module.get('name')}: source {s} needs the network")
        check("--share=network" not in module.get("build-options", {}).get("build-args", []),
              f"module {module.get('name')}: the build must not use the network")

    builder = shutil.which("flatpak-builder")
    if builder:
        env = dict(os.environ, G_DEBUG="fatal-warnings")
        # Its state dir would otherwise be made in the current directory.
        with tempfile.TemporaryDirectory() as state:
            proc = subprocess.run([builder, "--show-manifest", os.path.abspath(path)], cwd=state,
                                  env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True)
        check(proc.returncode == 0,
              f"flatpak-builder --show-manifest rejected it: {proc.stderr.strip()}")
        print("check-flatpak-manifest: flatpak-builder --show-manifest: "
              + ("ok" if proc.returncode == 0 else "failed"))
    else:
        print("check-flatpak-manifest: flatpak-builder not installed; JSON checks only")

    for e in errors:
        print(f"{path}: {e}", file=sys.stderr)
    if not errors:
        print("check-flatpak-manifest: ok")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
