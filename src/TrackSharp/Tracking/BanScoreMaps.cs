namespace TrackSharp.Tracking;

/// <summary>
/// The per-frame buffers of a BAN head on a <c>scoreSize x scoreSize</c> map (allocated once per tracker, reused
/// every frame): the network writes <see cref="Cls"/> and <see cref="Loc"/>, <see cref="BanTracking.ScoreAndUpdate"/>
/// fills the rest. Layouts as <see cref="BanScoring"/>: channel-major, <c>N = scoreSize²</c> cells per channel.
/// </summary>
public sealed class BanScoreMaps
{
    public BanScoreMaps(int scoreSize, int stride, int clsOutChannels)
    {
        int n = scoreSize * scoreSize;
        Points = BanScoring.Points(scoreSize, stride);
        Window = BanScoring.CosineWindow(scoreSize);
        Cls = new float[clsOutChannels * n];
        Loc = new float[4 * n];
        Score = new float[n];
        Boxes = new float[4 * n];
        Penalty = new float[n];
        ScaleChange = new float[n];
        RatioChange = new float[n];
        PScore = new double[n];
    }

    /// <summary>Points (x, y) interleaved, relative to the search-crop centre.</summary>
    public float[] Points { get; }
    /// <summary>The cosine window, row-major.</summary>
    public double[] Window { get; }
    /// <summary>Classification map [C, N] as the network gives it.</summary>
    public float[] Cls { get; }
    /// <summary>Exp'ed point distances [4, N] (l, t, r, b) as the network gives them.</summary>
    public float[] Loc { get; }
    public float[] Score { get; }
    /// <summary>Boxes [4, N] (cx, cy, w, h) in crop pixels.</summary>
    public float[] Boxes { get; }
    public float[] Penalty { get; }
    /// <summary>s_c of the penalty, per cell.</summary>
    public float[] ScaleChange { get; }
    /// <summary>r_c of the penalty, per cell.</summary>
    public float[] RatioChange { get; }
    /// <summary>Penalised score blended with the window (float64, as the reference).</summary>
    public double[] PScore { get; }
}
