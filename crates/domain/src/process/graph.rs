//! The shape of a definition as a graph of step indices: which steps the start can reach, which
//! can still reach an end, and the longest chain of counted budgets up to a decision. Pure graph
//! arithmetic; the meaning of steps and the messages are `check`'s.

/// Edges between the steps of one definition, by index in text order.
#[derive(Debug, Default)]
pub(super) struct Graph {
    /// Steps an outcome leads to.
    pub next: Vec<Vec<usize>>,
    /// Whether some outcome of the step ends the process.
    pub ends: Vec<bool>,
    /// Steps started beside the step (`parallel_with`).
    pub forks: Vec<Vec<usize>>,
}

impl Graph {
    pub fn new(steps: usize) -> Graph {
        Graph {
            next: vec![Vec::new(); steps],
            ends: vec![false; steps],
            forks: vec![Vec::new(); steps],
        }
    }

    fn len(&self) -> usize {
        self.next.len()
    }

    /// The steps a case can get to from `start`, following outcomes and parallel starts.
    pub fn reachable(&self, start: usize) -> Vec<bool> {
        let mut seen = vec![false; self.len()];
        let mut stack = vec![start];
        while let Some(step) = stack.pop() {
            if std::mem::replace(&mut seen[step], true) {
                continue;
            }
            stack.extend(self.next[step].iter().chain(&self.forks[step]).copied());
        }
        seen
    }

    /// The steps from which some chain of outcomes ends the process. A parallel start is not
    /// a way out: the lead step's own outcomes move the case on.
    pub fn finishing(&self) -> Vec<bool> {
        let mut done = self.ends.clone();
        let mut changed = true;
        while changed {
            changed = false;
            for step in 0..self.len() {
                if !done[step] && self.next[step].iter().any(|&n| done[n]) {
                    done[step] = true;
                    changed = true;
                }
            }
        }
        done
    }

    /// The heaviest chain of `weight`s from `start`, following outcomes, ignoring the edges
    /// that loop back (a rectification or supplement round is counted once), and stopping after
    /// a step marked in `stops` (the decision: what follows is not in the decision limit).
    /// Returns the total and the steps of the chain.
    pub fn heaviest_chain(
        &self,
        start: usize,
        weight: &[u32],
        stops: &[bool],
    ) -> (u32, Vec<usize>) {
        let forward = self.without_loops(start);
        let mut memo: Vec<Option<(u32, Option<usize>)>> = vec![None; self.len()];
        let total = heaviest_from(start, &forward, weight, stops, &mut memo);
        let mut chain = vec![start];
        let mut at = start;
        while let Some((_, Some(next))) = memo[at] {
            chain.push(next);
            at = next;
        }
        (total, chain)
    }

    /// The outcome edges reachable from `start` minus those that close a loop (back edges of a
    /// depth-first walk), leaving an acyclic graph.
    fn without_loops(&self, start: usize) -> Vec<Vec<usize>> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            Open,
            Done,
        }
        let mut marks = vec![Mark::New; self.len()];
        let mut forward = vec![Vec::new(); self.len()];
        // (step, index of the next edge to look at)
        let mut stack = vec![(start, 0)];
        marks[start] = Mark::Open;
        while let Some((step, edge)) = stack.pop() {
            let Some(&target) = self.next[step].get(edge) else {
                marks[step] = Mark::Done;
                continue;
            };
            stack.push((step, edge + 1));
            match marks[target] {
                Mark::Open => {}
                Mark::Done => forward[step].push(target),
                Mark::New => {
                    forward[step].push(target);
                    marks[target] = Mark::Open;
                    stack.push((target, 0));
                }
            }
        }
        forward
    }
}

fn heaviest_from(
    step: usize,
    forward: &[Vec<usize>],
    weight: &[u32],
    stops: &[bool],
    memo: &mut [Option<(u32, Option<usize>)>],
) -> u32 {
    if let Some((total, _)) = memo[step] {
        return total;
    }
    let mut best = (0, None);
    if !stops[step] {
        for &next in &forward[step] {
            let total = heaviest_from(next, forward, weight, stops, memo);
            if best.1.is_none() || total > best.0 {
                best = (total, Some(next));
            }
        }
    }
    let total = weight[step].saturating_add(best.0);
    memo[step] = Some((total, best.1));
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 0 → 1 → 2 → end, 2 → 0 (a loop with an exit), 3 → 3 (a loop without one).
    fn sample() -> Graph {
        let mut graph = Graph::new(4);
        graph.next[0] = vec![1];
        graph.next[1] = vec![2];
        graph.next[2] = vec![0];
        graph.ends[2] = true;
        graph.next[3] = vec![3];
        graph
    }

    #[test]
    fn a_loop_with_an_exit_finishes_and_one_without_does_not() {
        assert_eq!(sample().finishing(), vec![true, true, true, false]);
        assert_eq!(sample().reachable(0), vec![true, true, true, false]);
    }

    #[test]
    fn the_heaviest_chain_counts_a_loop_once_and_stops_at_the_decision() {
        let (total, chain) = sample().heaviest_chain(0, &[1, 10, 100, 0], &[false; 4]);
        assert_eq!((total, chain), (111, vec![0, 1, 2]));
        let stops = [false, true, false, false];
        assert_eq!(sample().heaviest_chain(0, &[1, 10, 100, 0], &stops).0, 11);
    }
}
