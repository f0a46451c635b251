namespace TrackSharp.Data.Processing;

/// <summary>The draws the processing needs, from a <see cref="Random"/> (never torch's global RNG), so a sample is a
/// function of its seed only, whatever thread runs it.</summary>
public static class RandomDraws
{
    /// <summary>Standard normal (Box–Muller, one draw of two uniforms per value).</summary>
    public static double NextGaussian(this Random random)
    {
        double u1 = 1.0 - random.NextDouble(); // (0, 1]
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Uniform in [lo, hi).</summary>
    public static double NextUniform(this Random random, double lo, double hi) => lo + (hi - lo) * random.NextDouble();

    /// <summary>True with probability <paramref name="p"/> (Python's <c>random.random() &lt; p</c>).</summary>
    public static bool NextBool(this Random random, double p) => random.NextDouble() < p;
}
