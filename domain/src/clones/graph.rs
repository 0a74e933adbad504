//! The dependency graph of a clone: every object it copies is a node, and an edge runs from
//! what an object needs to exist first (its folder, its asset, the comment it replies to, the
//! assets a collection holds) to the object. Kahn's algorithm gives the order the copies are
//! written in; nodes left over sit on a cycle, and the clone is refused.

use std::collections::{HashMap, VecDeque};
use uuid::Uuid;

/// What a node is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A folder.
    Folder,
    /// An asset.
    Asset,
    /// A version of an asset.
    Version,
    /// A comment or reply.
    Comment,
    /// A collection.
    Collection,
}

impl Kind {
    /// The name stored in `clone_objects.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Folder => "folder",
            Kind::Asset => "asset",
            Kind::Version => "version",
            Kind::Comment => "comment",
            Kind::Collection => "collection",
        }
    }
}

/// Objects and what each needs first.
#[derive(Debug, Default)]
pub struct Graph {
    nodes: Vec<(Kind, Uuid)>,
    index: HashMap<(Kind, Uuid), usize>,
    edges: Vec<Vec<usize>>,
    needs: Vec<usize>,
}

/// The objects that could not be ordered, because each waits on another of them.
#[derive(Debug, PartialEq, Eq)]
pub struct Cycle(pub Vec<(Kind, Uuid)>);

impl Graph {
    /// Adds an object (once; adding it again is a no-op).
    pub fn add(&mut self, kind: Kind, id: Uuid) {
        if self.index.contains_key(&(kind, id)) {
            return;
        }
        self.index.insert((kind, id), self.nodes.len());
        self.nodes.push((kind, id));
        self.edges.push(Vec::new());
        self.needs.push(0);
    }

    /// Whether the object is in the graph.
    pub fn contains(&self, kind: Kind, id: Uuid) -> bool {
        self.index.contains_key(&(kind, id))
    }

    /// `after` needs `before` to exist first. Either end outside the graph is ignored
    /// (it is not copied, so nothing waits on it).
    pub fn depends(&mut self, before: (Kind, Uuid), after: (Kind, Uuid)) {
        if let (Some(&b), Some(&a)) = (self.index.get(&before), self.index.get(&after)) {
            self.edges[b].push(a);
            self.needs[a] += 1;
        }
    }

    /// How many objects.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether there is nothing to copy.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Every object in an order where each comes after all it needs; ties keep the order
    /// they were added in.
    pub fn order(&self) -> Result<Vec<(Kind, Uuid)>, Cycle> {
        let mut needs = self.needs.clone();
        let mut ready: VecDeque<usize> = (0..self.nodes.len()).filter(|&i| needs[i] == 0).collect();
        let mut out = Vec::with_capacity(self.nodes.len());
        while let Some(i) = ready.pop_front() {
            out.push(self.nodes[i]);
            for &next in &self.edges[i] {
                needs[next] -= 1;
                if needs[next] == 0 {
                    ready.push_back(next);
                }
            }
        }
        if out.len() == self.nodes.len() {
            Ok(out)
        } else {
            Err(Cycle(
                (0..self.nodes.len())
                    .filter(|&i| needs[i] > 0)
                    .map(|i| self.nodes[i])
                    .collect(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    #[test]
    fn parents_come_before_children_whatever_the_order_they_were_added_in() -> Result<(), String> {
        let mut g = Graph::default();
        g.add(Kind::Comment, id(3));
        g.add(Kind::Asset, id(2));
        g.add(Kind::Folder, id(1));
        g.add(Kind::Comment, id(4));
        g.depends((Kind::Folder, id(1)), (Kind::Asset, id(2)));
        g.depends((Kind::Asset, id(2)), (Kind::Comment, id(3)));
        g.depends((Kind::Comment, id(3)), (Kind::Comment, id(4)));
        // A dependency on something not copied is ignored.
        g.depends((Kind::Folder, id(9)), (Kind::Asset, id(2)));
        let order = g.order().map_err(|c| format!("unexpected cycle {c:?}"))?;
        assert_eq!(order.len(), 4, "every node once");
        let at = |k, n| order.iter().position(|&x| x == (k, id(n))).unwrap_or(usize::MAX);
        assert!(at(Kind::Folder, 1) < at(Kind::Asset, 2));
        assert!(at(Kind::Asset, 2) < at(Kind::Comment, 3));
        assert!(at(Kind::Comment, 3) < at(Kind::Comment, 4));
        Ok(())
    }

    #[test]
    fn a_cycle_is_reported_with_exactly_its_members() -> Result<(), String> {
        let mut g = Graph::default();
        for n in 1..=4 {
            g.add(Kind::Folder, id(n));
        }
        g.add(Kind::Folder, id(1));
        g.depends((Kind::Folder, id(1)), (Kind::Folder, id(2)));
        g.depends((Kind::Folder, id(2)), (Kind::Folder, id(3)));
        g.depends((Kind::Folder, id(3)), (Kind::Folder, id(2)));
        g.depends((Kind::Folder, id(3)), (Kind::Folder, id(4)));
        let Err(Cycle(stuck)) = g.order() else {
            return Err("2 and 3 wait on each other, yet an order was found".into());
        };
        assert!(stuck.contains(&(Kind::Folder, id(2))) && stuck.contains(&(Kind::Folder, id(3))));
        // 4 waits on the cycle, 1 does not.
        assert!(stuck.contains(&(Kind::Folder, id(4))));
        assert!(!stuck.contains(&(Kind::Folder, id(1))));
        assert_eq!(g.len(), 4);
        Ok(())
    }
}
