"""The data structures and builders a question's tests use, loaded by both sides of a run.

The sandboxed harness and the trusted checker each load their own copy of this file (it
imports nothing from the app): the harness to build a test's inputs and call the candidate's
code, the checker to rebuild the inputs a `check` looks at. Projections such as `list_values`
and `locate` turn the objects a candidate returns into plain data in the sandbox, since only
plain data crosses to the checker.
"""

from __future__ import annotations

import typing

# the NumPy dtypes an array result may cross from the sandbox to the checker in
ARRAY_TYPES = {"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
               "float16", "float32", "float64"}  # fmt: skip


class ListNode:
    """A singly linked list node."""

    def __init__(self, val=0, next=None):
        self.val = val
        self.next = next

    def __repr__(self):
        return f"ListNode({self.val})"


class TreeNode:
    """A binary tree node."""

    def __init__(self, val=0, left=None, right=None):
        self.val = val
        self.left = left
        self.right = right

    def __repr__(self):
        return f"TreeNode({self.val})"


class Node:
    """A graph node with a list of neighbours."""

    def __init__(self, val=0, neighbors=None):
        self.val = val
        self.neighbors = neighbors if neighbors is not None else []

    def __repr__(self):
        return f"Node({self.val})"


def make_list(values):
    """A linked list holding values, or None when empty."""
    head = None
    for value in reversed(list(values)):
        head = ListNode(value, head)
    return head


def list_values(head, limit=100_000):
    """The values of a linked list (stops after limit nodes, so a cycle cannot hang the test)."""
    out = []
    while head is not None and len(out) < limit:
        out.append(head.val)
        head = head.next
    return out


def make_tree(level_order):
    """A binary tree from its level-order list with None for missing children."""
    items = list(level_order)
    if not items or items[0] is None:
        return None
    root = TreeNode(items[0])
    queue, i = [root], 1
    while queue and i < len(items):
        node = queue.pop(0)
        for side in ("left", "right"):
            if i < len(items) and items[i] is not None:
                child = TreeNode(items[i])
                setattr(node, side, child)
                queue.append(child)
            i += 1
    return root


def find_node(root, value):
    """The first tree node holding value, in level order."""
    queue = [root] if root else []
    while queue:
        node = queue.pop(0)
        if node.val == value:
            return node
        queue += [c for c in (node.left, node.right) if c]
    return None


def make_graph(adjacency):
    """Graph nodes 1..n from an adjacency list (1-based, as on LeetCode); returns node 1."""
    nodes = [Node(i + 1) for i in range(len(adjacency))]
    for node, neighbours in zip(nodes, adjacency, strict=True):
        node.neighbors = [nodes[j - 1] for j in neighbours]
    return nodes[0] if nodes else None


def graph_adjacency(start):
    """The adjacency list of the graph reachable from start, with the node objects visited."""
    if start is None:
        return [], []
    seen, order = {id(start): start}, [start]
    for node in order:
        for other in node.neighbors:
            if id(other) not in seen:
                seen[id(other)] = other
                order.append(other)
    order.sort(key=lambda n: n.val)
    return [[n.val for n in node.neighbors] for node in order], order


def locate(root, node, limit=100_000):
    """The level-order position of node (by identity) in the tree under root, or None.

    A tree question's answer is a node of the input tree: its position is plain data that
    the checker compares with the position of the expected node in its own copy of the tree.
    """
    queue, index = ([root] if root is not None else []), 0
    while index < len(queue) and index < limit:
        current = queue[index]
        if current is node:
            return index
        queue += [c for c in (current.left, current.right) if c is not None]
        index += 1
    return None


def copy_report(original, copy, limit=100_000):
    """How a graph's copy relates to the original, as plain data (for clone-graph's checks).

    value: the copy's start value; adjacency: its adjacency lists (sorted); nodes: its size;
    shared: values of original nodes found in the copy; mirrors: whether it matches the
    original node for node (no two originals merged); self_loop: whether the start node lists
    itself; original: the original's adjacency after the call.
    """
    if copy is None:
        return None
    originals = graph_adjacency(original)[1] if original is not None else []
    known = {id(n) for n in originals}
    adjacency, copies = graph_adjacency(copy)
    mapping, stack, mirrors = {id(original): copy}, [(original, copy)], original is not None
    while stack and mirrors and len(mapping) <= limit:
        o, k = stack.pop()
        if k is None or k.val != o.val or len(k.neighbors) != len(o.neighbors):
            mirrors = False
            break
        for on, kn in zip(o.neighbors, k.neighbors, strict=True):
            if id(on) in mapping:
                mirrors = mirrors and mapping[id(on)] is kn
            else:
                mapping[id(on)] = kn
                stack.append((on, kn))
    return {
        "value": copy.val,
        "adjacency": [sorted(n) for n in adjacency],
        "nodes": len(copies),
        "shared": sorted(c.val for c in copies if id(c) in known),
        "mirrors": mirrors and len({id(k) for k in mapping.values()}) == len(mapping),
        "self_loop": any(n is copy for n in copy.neighbors),
        "original": [sorted(n) for n in graph_adjacency(original)[0]],
    }


HELPERS = {
    "ListNode": ListNode,
    "TreeNode": TreeNode,
    "Node": Node,
    # as on LeetCode, annotations like Optional[ListNode] work without an import
    "Optional": typing.Optional,
    "List": typing.List,  # noqa: UP006
}
TEST_HELPERS = {
    "make_list": make_list,
    "list_values": list_values,
    "make_tree": make_tree,
    "find_node": find_node,
    "make_graph": make_graph,
    "graph_adjacency": graph_adjacency,
    "locate": locate,
    "copy_report": copy_report,
}
