//! `flowc graph`: the control flow of a workflow as Mermaid or Graphviz dot (SPEC §11).
