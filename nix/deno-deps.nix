# The project's npm dependencies as a Deno npm cache, made from deno.lock alone: one fetch per
# tarball, whose hash is the lockfile's own `integrity`, unpacked (its top folder stripped) into
# `npm/registry.npmjs.org/<name>/<version>/`, next to a `<name>/registry.json` packument that
# lists the pinned versions. Deno 2.9 runs `--frozen --cached-only` on it, even read-only, so no
# fixed-output hash of the whole tree is kept anywhere.
#
# Evaluation stops with a message when the lock holds what this cannot serve: JSR or remote
# (http) imports, a tarball from another registry, or one package version resolved with two
# different peer-dependency sets (Deno keeps such copies in `<version>_1` folders).
#
# `runCommand` must provide `tar` with gzip (nixpkgs' stdenv does; so does busybox).
{ lockFile, runCommand, fetchurl ? import <nix/fetchurl.nix> }:
let
  registry = "registry.npmjs.org";
  lock = builtins.fromJSON (builtins.readFile lockFile);
  fail = msg: throw "nix/deno-deps.nix cannot serve ${toString lockFile}: ${msg}";
  npm = lock.npm or { };
  notEmpty = key: lock ? ${key} && lock.${key} != { } && lock.${key} != [ ];

  # "openai@7.57.0_zod@4.6.7" -> { name = "openai"; version = "7.57.0"; }
  parse = key:
    let m = builtins.match "(@?[^@]+)@([^_]+)(_.*)?" key;
    in if m == null then fail "npm entry \"${key}\" is not NAME@VERSION"
    else { inherit key; name = builtins.elemAt m 0; version = builtins.elemAt m 1; };
  packages = map parse (builtins.attrNames npm);
  byName = builtins.groupBy (p: p.name) packages;

  checked =
    if (lock.version or "") != "5" then
      fail "lockfile version \"${lock.version or "none"}\" (regenerate it with Deno 2.9: deno install)"
    else if notEmpty "jsr" then
      fail "JSR packages (${builtins.concatStringsSep ", " (builtins.attrNames lock.jsr)}); use npm: imports"
    else if notEmpty "remote" || notEmpty "redirects" then
      fail "remote http imports; use npm: imports"
    else
      builtins.filter (p: check p) packages;
  check = p:
    let
      same = builtins.filter (q: q.version == p.version) byName.${p.name};
      entry = npm.${p.key};
    in
    if builtins.length same > 1 then
      fail "${p.name}@${p.version} is resolved with ${toString (builtins.length same)} peer-dependency sets (${
        builtins.concatStringsSep ", " (map (q: q.key) same)}); deduplicate the peers"
    else if !(entry ? integrity) then fail "npm entry \"${p.key}\" has no integrity"
    else if entry ? tarball then fail "npm entry \"${p.key}\" comes from ${entry.tarball}, not ${registry}"
    else true;

  baseName = name: let m = builtins.match "@[^/]+/(.+)" name; in if m == null then name else builtins.head m;
  tarball = p: fetchurl {
    url = "https://${registry}/${p.name}/-/${baseName p.name}-${p.version}.tgz";
    hash = npm.${p.key}.integrity;
  };
  # What Deno reads instead of asking the registry: the pinned versions and their tarballs.
  # "full" marks it complete, so `deno check` does not fetch it again.
  packument = name: builtins.toFile "registry.json" (builtins.toJSON {
    inherit name;
    "dist-tags" = { };
    versions = builtins.listToAttrs (map
      (p: {
        name = p.version;
        value = {
          inherit (p) version;
          dist = {
            tarball = "https://${registry}/${p.name}/-/${baseName p.name}-${p.version}.tgz";
            inherit (npm.${p.key}) integrity;
          };
        };
      })
      byName.${name});
    "_deno.packumentFormat" = "full";
  });
  dir = name: "$out/npm/${registry}/${name}";
  unpack = p: ''
    mkdir -p "${dir p.name}/${p.version}"
    tar -xzo -f ${tarball p} -C "${dir p.name}/${p.version}" --strip-components=1
  '';
in
runCommand "rlm-deno-deps" { } ''
  ${builtins.concatStringsSep "" (map unpack checked)}
  ${builtins.concatStringsSep "\n" (map (n: "cp ${packument n} \"${dir n}/registry.json\"")
    (builtins.attrNames (builtins.groupBy (p: p.name) checked)))}
  chmod -R u+w,a+rX $out
''
