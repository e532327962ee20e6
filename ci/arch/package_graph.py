"""Measures seldonj's module and package dependency graphs and prints them as Markdown.

  python3 ci/arch/package_graph.py [ROOT] [--graphs]

ROOT is a checkout whose modules are compiled from clean (`mvn -B -ntp -q -DskipTests clean compile`,
never install, so no class of a removed package is left);
it defaults to the current directory. The module graph comes from the poms: dependencies on
dev.seldonj artifacts in compile scope. The package graph of each compiled module comes from
`jdeps -verbose:package` over its target/classes (main code only): an edge A -> B when a class of
package A uses a class of package B of the same module. Cycles are the strongly connected components
with more than one package (Tarjan's algorithm).

A package is a slice the way the module's ArchUnit test cuts it, so the counts here agree with what
the build enforces: in the engine (EnginePackageCyclesTest) a slice is a top-level package with its
sub-packages (client.builtin counts as client), the root package apart; in every other module
(PackageCyclesTest) each package is its own slice. Each module gets a table of what each package
uses; --graphs adds a Mermaid graph.
"""
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

GROUP = "dev.seldonj"
POM = {"m": "http://maven.apache.org/POM/4.0.0"}
# Modules whose packages the ArchUnit rule groups by top-level package.
TOP_LEVEL_SLICES = {"engine"}
JDEPS_EDGE = re.compile(r"^\s+(\S+)\s+->\s+(\S+)\s")


def modules(root):
    tree = ET.parse(os.path.join(root, "pom.xml")).getroot()
    return [m.text for m in tree.find("m:modules", POM)]


def artifact_and_deps(root, module):
    """The module's artifactId and the dev.seldonj artifacts it needs in compile scope."""
    tree = ET.parse(os.path.join(root, module, "pom.xml")).getroot()
    deps = []
    for dep in tree.findall("m:dependencies/m:dependency", POM):
        group = dep.findtext("m:groupId", namespaces=POM)
        scope = dep.findtext("m:scope", default="compile", namespaces=POM)
        if group in (GROUP, "${project.groupId}") and scope == "compile":
            deps.append(dep.findtext("m:artifactId", namespaces=POM))
    return tree.findtext("m:artifactId", namespaces=POM), deps


def module_graph(root):
    """(module, [module it depends on]) for every module of the reactor."""
    names = modules(root)
    info = {m: artifact_and_deps(root, m) for m in names}
    by_artifact = {artifact: m for m, (artifact, _) in info.items()}
    return [(m, [by_artifact[a] for a in deps]) for m, (_, deps) in info.items()]


def slice_of(module, package):
    """The slice name: the package relative to the module's root package (or to dev.seldonj)."""
    base = f"{GROUP}.{module}"
    if package == base:
        return "(root)"
    if not package.startswith(base + "."):
        return package[len(GROUP) + 1 :]
    relative = package[len(base) + 1 :]
    return relative.split(".")[0] if module in TOP_LEVEL_SLICES else relative


def package_graph(root, module):
    """The module's slices and the edges between them, from jdeps; None if it has no classes."""
    classes = os.path.join(root, module, "target", "classes")
    if not os.path.isdir(classes):
        return None
    packages = set()
    for directory, _, files in os.walk(classes):
        if any(f.endswith(".class") for f in files):
            package = os.path.relpath(directory, classes).replace(os.sep, ".")
            if package.startswith(GROUP + "."):
                packages.add(package)
    if not packages:
        return None
    out = subprocess.run(
        ["jdeps", "-verbose:package", "-e", re.escape(GROUP) + r"\..*", classes],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    nodes = {slice_of(module, p) for p in packages}
    edges = set()
    for line in out.splitlines():
        match = JDEPS_EDGE.match(line)
        if not match or match.group(1) not in packages or match.group(2) not in packages:
            continue
        source, target = slice_of(module, match.group(1)), slice_of(module, match.group(2))
        if source != target:
            edges.add((source, target))
    return nodes, edges


def cycles(nodes, edges):
    """Strongly connected components of more than one node (Tarjan), each sorted, largest first."""
    successors = {n: sorted(t for s, t in edges if s == n) for n in nodes}
    index, low, on_stack, stack, found = {}, {}, set(), [], []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in successors[node]:
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(nodes):
        if node not in index:
            visit(node)
    return sorted(found, key=lambda c: (-len(c), c))


def mermaid_id(name):
    return "p_" + re.sub(r"[^A-Za-z0-9]", "_", name)


def mermaid(nodes, edges):
    lines = ["```mermaid", "graph LR"]
    for node in sorted(nodes):
        lines.append(f'  {mermaid_id(node)}["{node}"]')
    for source, target in sorted(edges):
        lines.append(f"  {mermaid_id(source)} --> {mermaid_id(target)}")
    lines.append("```")
    return "\n".join(lines)


def main(argv):
    graphs = "--graphs" in argv
    args = [a for a in argv if a != "--graphs"]
    root = args[0] if args else "."
    print("## Modules (compile scope, dev.seldonj)\n")
    print("| module | depends on |")
    print("|---|---|")
    for module, deps in module_graph(root):
        print(f"| {module} | {', '.join(deps) or '-'} |")
    print("\n## Packages (main code)\n")
    print("| module | packages | edges | cycles | packages in cycles |")
    print("|---|---|---|---|---|")
    details = []
    for module in modules(root):
        graph = package_graph(root, module)
        if graph is None:
            continue
        nodes, edges = graph
        found = cycles(nodes, edges)
        in_cycles = sum(len(c) for c in found)
        print(f"| {module} | {len(nodes)} | {len(edges)} | {len(found)} | {in_cycles} |")
        details.append((module, nodes, edges, found))
    for module, nodes, edges, found in details:
        print(f"\n### {module}\n")
        for component in found:
            print(f"- cycle: {{{', '.join(component)}}}")
            mutual = [f"{a} <-> {b}" for a, b in sorted(edges) if a < b and (b, a) in edges and a in component]
            if mutual:
                print(f"  - packages that use each other directly: {', '.join(mutual)}")
        if not found:
            print("- no cycle")
        if len(nodes) > 1:
            print("\n| package | uses (same module) |")
            print("|---|---|")
            for node in sorted(nodes):
                print(f"| {node} | {', '.join(sorted(t for s, t in edges if s == node)) or '-'} |")
        if graphs:
            print()
            print(mermaid(nodes, edges))


if __name__ == "__main__":
    main(sys.argv[1:])
