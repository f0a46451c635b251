namespace TrackSharp.Data.Sampling;

/// <summary>
/// A small, fast pseudo-random generator (xoshiro256**, seeded through SplitMix64) whose stream is fixed by a 64-bit
/// key. Samplers derive one generator per sample from a hash of (seed, purpose, epoch, index), so a sample depends
/// only on those numbers — not on the thread that asks for it, nor on the order of requests. Not NumPy's or
/// Python's stream: the reference's exact draws are not reproduced, only its distributions.
/// </summary>
public sealed class SampleRandom
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>A generator whose whole stream is determined by <paramref name="key"/>.</summary>
    public SampleRandom(ulong key)
    {
        ulong x = key;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>The generator for (seed, purpose, a, b): e.g. (seed, sampler stream, epoch, sample index).</summary>
    public static SampleRandom For(int seed, ulong purpose, long a, long b) => new(Key(seed, purpose, a, b));

    /// <summary>A 64-bit hash of (seed, purpose, a, b); each part goes through the SplitMix64 finaliser in turn, so
    /// neighbouring indices give unrelated keys.</summary>
    public static ulong Key(int seed, ulong purpose, long a, long b)
    {
        ulong h = Mix(0x5EED_0F_7A_C45A_4D1EUL ^ (ulong)(uint)seed);
        h = Mix(h ^ purpose);
        h = Mix(h ^ (ulong)a);
        h = Mix(h ^ (ulong)b);
        return h;
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1), 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, <paramref name="n"/>), without modulo bias (Lemire's method).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is not positive.</exception>
    public int NextInt(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        uint un = (uint)n;
        ulong m = (NextUInt64() >> 32) * un;
        uint low = (uint)m;
        if (low < un)
        {
            uint threshold = (0u - un) % un;
            while (low < threshold)
            {
                m = (NextUInt64() >> 32) * un;
                low = (uint)m;
            }
        }
        return (int)(m >> 32);
    }

    /// <summary>Uniform integer in [<paramref name="min"/>, <paramref name="maxExclusive"/>).</summary>
    public int NextInt(int min, int maxExclusive)
    {
        if (maxExclusive <= min)
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), $"empty range [{min}, {maxExclusive})");
        return min + NextInt(checked(maxExclusive - min));
    }

    /// <summary>Fisher–Yates shuffle in place (every permutation equally likely).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>Index drawn with probability proportional to <paramref name="weights"/> (non-negative, some positive);
    /// a zero weight is never drawn.</summary>
    public int NextWeighted(IReadOnlyList<double> weights)
    {
        double total = 0;
        for (int i = 0; i < weights.Count; i++) total += weights[i];
        if (!(total > 0)) throw new ArgumentException("weights must contain a positive value", nameof(weights));
        double u = NextDouble() * total;
        int last = -1;
        for (int i = 0; i < weights.Count; i++)
        {
            if (weights[i] <= 0) continue;
            last = i;
            u -= weights[i];
            if (u < 0) return i;
        }
        return last; // rounding left u a hair above zero: the last positive weight
    }

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        return Mix(x);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
