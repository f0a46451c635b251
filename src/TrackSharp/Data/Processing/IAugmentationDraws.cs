namespace TrackSharp.Data.Processing;

/// <summary>
/// The random numbers <see cref="PysotAugmentation"/> consumes, in the reference's call order (NumPy's
/// <c>np.random.random</c>, <c>np.random.randn</c>, <c>np.random.choice</c>). Injected so that a sample is a function
/// of the loader's per-sample seed, and so that tests can replay chosen values.
/// </summary>
public interface IAugmentationDraws
{
    /// <summary>Uniform in [0, 1) (<c>np.random.random()</c>).</summary>
    double Uniform();

    /// <summary>Standard normal (<c>np.random.randn()</c>).</summary>
    double Normal();

    /// <summary>Uniform integer in [0, <paramref name="count"/>) (the index <c>np.random.choice</c> takes).</summary>
    int Index(int count);
}

/// <summary><see cref="IAugmentationDraws"/> from a <see cref="Random"/> (normals by Box–Muller).</summary>
public sealed class RandomAugmentationDraws(Random random) : IAugmentationDraws
{
    private readonly Random _random = random ?? throw new ArgumentNullException(nameof(random));

    public double Uniform() => _random.NextDouble();

    public double Normal()
    {
        double u1 = 1.0 - _random.NextDouble(), u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public int Index(int count) => _random.Next(count);
}

/// <summary><see cref="IAugmentationDraws"/> that replays given values (tests; reproducing a recorded reference run).</summary>
public sealed class ReplayAugmentationDraws(IEnumerable<double> uniforms, IEnumerable<double>? normals = null,
    IEnumerable<int>? indices = null) : IAugmentationDraws
{
    private readonly Queue<double> _uniforms = new(uniforms);
    private readonly Queue<double> _normals = new(normals ?? []);
    private readonly Queue<int> _indices = new(indices ?? []);

    /// <summary>Values not consumed yet (uniforms, normals, indices).</summary>
    public (int Uniforms, int Normals, int Indices) Remaining => (_uniforms.Count, _normals.Count, _indices.Count);

    public double Uniform() => _uniforms.TryDequeue(out var v) ? v : throw new InvalidOperationException("no uniform draw left");

    public double Normal() => _normals.TryDequeue(out var v) ? v : throw new InvalidOperationException("no normal draw left");

    public int Index(int count) => _indices.TryDequeue(out var v)
        ? v >= 0 && v < count ? v : throw new InvalidOperationException($"index draw {v} is outside 0..{count - 1}")
        : throw new InvalidOperationException("no index draw left");
}
