namespace TrackSharp.Data.Targets;

/// <summary>
/// Supplies random permutations of 0..n-1 for label sub-sampling (the reference's
/// <c>np.random.shuffle(np.arange(n))</c>). Injectable so that a recorded reference run can be replayed.
/// </summary>
public interface IPermutationSource
{
    /// <summary>A permutation of 0..<paramref name="n"/>-1.</summary>
    int[] Permutation(int n);
}

/// <summary>Fisher–Yates shuffles from a seeded <see cref="Random"/> (deterministic per seed; not NumPy's stream).</summary>
public sealed class RandomPermutationSource(int seed) : IPermutationSource
{
    private readonly Random _random = new(seed);

    public int[] Permutation(int n)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--)
        {
            int j = _random.Next(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }
}

/// <summary>Replays recorded permutations in order (e.g. the <c>shuffle&lt;j&gt;</c> arrays of a golden file).</summary>
public sealed class RecordedPermutationSource : IPermutationSource
{
    private readonly Queue<int[]> _queue;

    public RecordedPermutationSource(IEnumerable<int[]> permutations) => _queue = new Queue<int[]>(permutations);

    /// <summary>Permutations not yet consumed.</summary>
    public int Remaining => _queue.Count;

    /// <exception cref="InvalidOperationException">When none is left or the next one has another length.</exception>
    public int[] Permutation(int n)
    {
        if (_queue.Count == 0)
            throw new InvalidOperationException($"no recorded permutation left (asked for one of length {n})");
        var p = _queue.Dequeue();
        if (p.Length != n)
            throw new InvalidOperationException($"recorded permutation has length {p.Length}, asked for {n}");
        return p;
    }
}
