"""Node positions computed in Python, for views too large for the browser's physics.

vis-network's physics needs ≈ 32 s to settle 5,000 nodes in headless Chromium
(KNOWN-TRAPS); networkx's ``spring_layout`` and ``forceatlas2_layout`` compute every
pair's repulsion on every iteration and take over a minute at that size here.
This is the same force-directed layout (Fruchterman–Reingold: springs along the
edges, every node repelling every other) with the repulsion computed the way
particle simulations do: node counts are binned on a grid, the grid is convolved
with the repulsion kernel by FFT, and each node reads the force of its cell; the
few nodes closer than one edge length repel each other exactly (pairs from a k-d
tree), so none overlap. One iteration costs a few milliseconds at 5,000 nodes.

Connected components are laid out one by one, largest first, and packed in rows;
isolated nodes go in a grid after them. The same graph and seed give the same
positions: nodes are taken in sorted order, the random start comes from a seeded
generator, and positions are rounded to whole pixels.
"""

from __future__ import annotations

import functools
import math

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

EDGE_LENGTH = 70.0
"""Ideal distance between linked nodes, in vis-network pixels (nodes are ≈ 16 px)."""
ITERATIONS = 80
GRID = 64
"""Cells per side of the grid the far repulsion is computed on."""
GRAVITY = 0.01
"""Pull towards the component's centre, as a share of the distance: keeps loose ends near."""
GAP = 2.0
"""Space left between packed components, in edge lengths."""

Positions = dict[str, tuple[int, int]]


def layout(graph: nx.Graph, seed: int = 0, iterations: int = ITERATIONS) -> Positions:
    """Whole-pixel ``(x, y)`` for every node of ``graph`` (edge direction and multiplicity ignored)."""
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    components = sorted((sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c[0]))
    rng = np.random.default_rng(seed)
    blocks = [_component(simple, nodes, rng, iterations) for nodes in components if len(nodes) > 1]
    singles = [nodes[0] for nodes in components if len(nodes) == 1]
    if singles:
        side = math.ceil(math.sqrt(len(singles)))
        grid = np.array([(i % side, i // side) for i in range(len(singles))], dtype=float) * EDGE_LENGTH
        blocks.append((singles, grid))
    return _pack(blocks)


def _component(graph: nx.Graph, nodes: list[str], rng: np.random.Generator, iterations: int) -> tuple[list, np.ndarray]:
    """Force-directed positions for one connected component."""
    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    pairs = sorted({tuple(sorted((index[u], index[v]))) for u, v in graph.subgraph(nodes).edges()})
    edges = np.array(pairs, dtype=np.int64).reshape(-1, 2)  # sorted: float sums in a fixed order
    k = EDGE_LENGTH
    radius = k * math.sqrt(n)
    angle = rng.uniform(0, 2 * math.pi, n)
    spread = radius * np.sqrt(rng.uniform(0, 1, n))
    pos = np.column_stack((spread * np.cos(angle), spread * np.sin(angle)))
    for step in range(iterations):
        temperature = radius * 0.1 * (1 - step / iterations) + k * 0.1
        disp = _repulsion(pos, k) - GRAVITY * (pos - pos.mean(axis=0))
        delta = pos[edges[:, 0]] - pos[edges[:, 1]]
        dist = np.sqrt((delta**2).sum(axis=1)) + 1e-9
        pull = delta * (dist / k)[:, None]
        disp += _scatter(edges[:, 1], pull, n) - _scatter(edges[:, 0], pull, n)
        length = np.sqrt((disp**2).sum(axis=1)) + 1e-9
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
    return nodes, pos


def _repulsion(pos: np.ndarray, k: float) -> np.ndarray:
    """Every node's push ``k²/d`` away from all others: far through the grid, near exactly."""
    n = len(pos)
    push = np.zeros_like(pos)
    if n > 2 * GRID:
        low = pos.min(axis=0)
        cell = max(float((pos.max(axis=0) - low).max()) / (GRID - 1), 1e-6)
        ij = np.minimum(((pos - low) / cell).astype(np.int64), GRID - 1)
        flat = ij[:, 0] * GRID + ij[:, 1]
        mass = np.fft.rfft2(np.bincount(flat, minlength=GRID * GRID).reshape(GRID, GRID), s=(_FFT, _FFT))
        for axis, kernel in enumerate(_kernels()):
            full = np.fft.irfft2(mass * kernel, s=(_FFT, _FFT))  # the convolution, by FFT
            field = full[GRID - 1 : 2 * GRID - 1, GRID - 1 : 2 * GRID - 1] * (k * k / cell)
            push[:, axis] = field.reshape(-1)[flat]
        near = k
    else:
        near = np.inf
    pairs = cKDTree(pos).query_pairs(near, output_type="ndarray") if n > 1 else np.empty((0, 2), np.int64)
    if len(pairs):
        delta = pos[pairs[:, 0]] - pos[pairs[:, 1]]
        force = delta * (k * k / np.maximum((delta**2).sum(axis=1), 1e-2))[:, None]
        push += _scatter(pairs[:, 0], force, n) - _scatter(pairs[:, 1], force, n)
    return push


_FFT = 3 * GRID - 2
"""Side of the zero-padded arrays: a full (not circular) convolution of the grid with the kernel."""


@functools.cache
def _kernels() -> tuple[np.ndarray, np.ndarray]:
    """The FFTs of the repulsion kernel's x and y parts, ``d / |d|²`` over cell offsets of one unit.

    The force for cells of side ``h`` is this times ``k² / h``, so the kernel is computed once.
    """
    offsets = np.arange(-(GRID - 1), GRID, dtype=float)
    dx, dy = np.meshgrid(offsets, offsets, indexing="ij")
    d2 = dx**2 + dy**2
    d2[GRID - 1, GRID - 1] = np.inf  # a cell does not push itself; its nodes meet below
    return tuple(np.fft.rfft2(d / d2, s=(_FFT, _FFT)) for d in (dx, dy))  # type: ignore[return-value]


def _scatter(index: np.ndarray, vectors: np.ndarray, n: int) -> np.ndarray:
    """Sum of ``vectors`` per node: what ``np.add.at`` does, many times faster."""
    return np.column_stack(
        (np.bincount(index, vectors[:, 0], minlength=n), np.bincount(index, vectors[:, 1], minlength=n))
    )


def _pack(blocks: list[tuple[list, np.ndarray]]) -> Positions:
    """Blocks placed left to right in rows about as wide as all of them are tall together."""
    boxes = []
    for nodes, pos in blocks:
        low = pos.min(axis=0)
        boxes.append((nodes, pos - low, pos.max(axis=0) - low + GAP * EDGE_LENGTH))
    row_width = max(
        math.sqrt(sum(float(size[0] * size[1]) for *_, size in boxes)),
        max((float(size[0]) for *_, size in boxes), default=0.0),
    )
    placed: Positions = {}
    x = y = row_height = 0.0
    for nodes, pos, size in boxes:
        if x and x + size[0] > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (px, py) in zip(nodes, pos, strict=True):
            placed[node] = (round(px + x), round(py + y))
        x += float(size[0])
        row_height = max(row_height, float(size[1]))
    return placed
