namespace TrackSharp.Data.Synthetic;

/// <summary>What <see cref="SyntheticDataset"/> generates: how many sequences, how long, how large, from which seed.</summary>
public sealed record SyntheticOptions
{
    /// <summary>Number of sequences. Default 4.</summary>
    public int Sequences { get; init; } = 4;

    /// <summary>Frames per sequence. Default 60.</summary>
    public int Frames { get; init; } = 60;

    /// <summary>Frame width in pixels. Default 320.</summary>
    public int Width { get; init; } = 320;

    /// <summary>Frame height in pixels. Default 240.</summary>
    public int Height { get; init; } = 240;

    /// <summary>The one seed everything derives from: sequence <c>i</c> uses its own <see cref="Random"/> streams
    /// seeded from (seed, i), so sequence i is the same whatever the number of sequences. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>JPEG quality of the frames. Default 90.</summary>
    public int JpegQuality { get; init; } = 90;

    /// <summary>Motion, appearance and event knobs. Default <see cref="SyntheticDifficulty.Medium"/>.</summary>
    public SyntheticDifficulty Difficulty { get; init; } = SyntheticDifficulty.Medium;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (Sequences < 1 || Sequences > 999_999) throw new ArgumentException($"sequences must be 1..999999, got {Sequences}");
        if (Frames < 1) throw new ArgumentException($"frames per sequence must be at least 1, got {Frames}");
        if (Width < 32 || Height < 32 || Width > 8192 || Height > 8192)
            throw new ArgumentException($"frame size must be 32..8192 pixels per side, got {Width}x{Height}");
        if (JpegQuality is < 1 or > 100) throw new ArgumentException($"JPEG quality must be 1..100, got {JpegQuality}");
        Difficulty.Validate();
    }
}

/// <summary>
/// The knobs that make sequences harder. Lengths are relative to the shorter image side <c>S</c>, speeds per frame.
/// Use a preset (<see cref="None"/>, <see cref="Easy"/>, <see cref="Medium"/>, <see cref="Hard"/>) and change what you need
/// with <c>with { ... }</c>.
/// </summary>
public sealed record SyntheticDifficulty
{
    /// <summary>Mean target speed, in units of <c>S</c> per frame. Default 0.015.</summary>
    public double Speed { get; init; } = 0.015;

    /// <summary>Standard deviation of the per-frame velocity change, relative to <see cref="Speed"/>. Default 0.25.</summary>
    public double MotionNoise { get; init; } = 0.25;

    /// <summary>Smallest and largest target size (square root of its area) at frame 0, in units of <c>S</c>.</summary>
    public double MinObjectSize { get; init; } = 0.12;

    /// <inheritdoc cref="MinObjectSize"/>
    public double MaxObjectSize { get; init; } = 0.30;

    /// <summary>Amplitude of the smooth scale change, as |log scale| (0.3: from x0.74 to x1.35). Default 0.25.</summary>
    public double ScaleChange { get; init; } = 0.25;

    /// <summary>Amplitude of the smooth aspect-ratio change, as |log aspect|. Default 0.15.</summary>
    public double AspectChange { get; init; } = 0.15;

    /// <summary>Occlusion events per sequence (an occluder patch sweeps over the target). Default 1.</summary>
    public int OcclusionEvents { get; init; } = 1;

    /// <summary>Share of occlusion events whose occluder is larger than the target and hides it completely for some
    /// frames (absence 1, cover 0); the others hide part of it (cover 1..7). Default 0.5.</summary>
    public double FullOcclusionShare { get; init; } = 0.5;

    /// <summary>Probability that a sequence has an out-of-view excursion: the target leaves the image across the
    /// nearest edge, stays out a few frames and comes back. Default 0.3.</summary>
    public double OutOfViewProbability { get; init; } = 0.3;

    /// <summary>Largest number of distractors (objects of the target's shape, texture family and similar colours);
    /// each sequence draws 0..this many. Default 2.</summary>
    public int MaxDistractors { get; init; } = 2;

    /// <summary>Slow camera pan of the background, in pixels per frame (0: static camera). Default 0.3.</summary>
    public double CameraPan { get; init; } = 0.3;

    /// <summary>False: the background is one plain colour (tests that reason about pixels use this). Default true.</summary>
    public bool TexturedBackground { get; init; } = true;

    /// <summary>No events, no distractors, no pan, plain background, slow smooth motion: for tests.</summary>
    public static SyntheticDifficulty None { get; } = new()
    {
        Speed = 0.01, MotionNoise = 0.1, ScaleChange = 0.1, AspectChange = 0.05, OcclusionEvents = 0, OutOfViewProbability = 0,
        MaxDistractors = 0, CameraPan = 0, TexturedBackground = false,
    };

    /// <summary>Textured background, no occlusion, no out-of-view, at most one distractor.</summary>
    public static SyntheticDifficulty Easy { get; } = new()
    {
        Speed = 0.01, MotionNoise = 0.15, ScaleChange = 0.15, AspectChange = 0.1, OcclusionEvents = 0, OutOfViewProbability = 0,
        MaxDistractors = 1, CameraPan = 0,
    };

    /// <summary>The defaults: one occlusion event, sometimes out of view, up to two distractors, slow pan.</summary>
    public static SyntheticDifficulty Medium { get; } = new();

    /// <summary>Faster, noisier motion, two occlusion events, usually out of view, up to three distractors.</summary>
    public static SyntheticDifficulty Hard { get; } = new()
    {
        Speed = 0.025, MotionNoise = 0.4, MinObjectSize = 0.08, ScaleChange = 0.4, AspectChange = 0.25, OcclusionEvents = 2,
        OutOfViewProbability = 0.7, MaxDistractors = 3, CameraPan = 0.8,
    };

    /// <summary>The preset called <paramref name="name"/> (none, easy, medium, hard; case-insensitive).</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static SyntheticDifficulty Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "none" => None,
        "easy" => Easy,
        "medium" => Medium,
        "hard" => Hard,
        _ => throw new ArgumentException($"unknown difficulty '{name}'; known: none, easy, medium, hard"),
    };

    internal void Validate()
    {
        static void Check(bool ok, string what) { if (!ok) throw new ArgumentException(what); }
        Check(Speed >= 0 && double.IsFinite(Speed), $"speed must be >= 0, got {Speed}");
        Check(MotionNoise >= 0 && double.IsFinite(MotionNoise), $"motion noise must be >= 0, got {MotionNoise}");
        Check(MinObjectSize > 0 && MaxObjectSize >= MinObjectSize && MaxObjectSize <= 0.6,
            $"object size range must satisfy 0 < min <= max <= 0.6, got {MinObjectSize}..{MaxObjectSize}");
        Check(ScaleChange is >= 0 and <= 1, $"scale change must be 0..1, got {ScaleChange}");
        Check(AspectChange is >= 0 and <= 1, $"aspect change must be 0..1, got {AspectChange}");
        Check(OcclusionEvents is >= 0 and <= 100, $"occlusion events must be 0..100, got {OcclusionEvents}");
        Check(FullOcclusionShare is >= 0 and <= 1, $"full-occlusion share must be 0..1, got {FullOcclusionShare}");
        Check(OutOfViewProbability is >= 0 and <= 1, $"out-of-view probability must be 0..1, got {OutOfViewProbability}");
        Check(MaxDistractors is >= 0 and <= 100, $"distractors must be 0..100, got {MaxDistractors}");
        Check(CameraPan >= 0 && double.IsFinite(CameraPan), $"camera pan must be >= 0, got {CameraPan}");
    }
}
