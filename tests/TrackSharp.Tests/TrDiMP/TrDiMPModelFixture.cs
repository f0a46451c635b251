using TrackSharp.Checkpoints;
using TrackSharp.Trackers.TrDiMP;
using static TorchSharp.torch;

namespace TrackSharp.Tests.TrDiMP;

/// <summary>The small golden network (weights.pth) loaded once, with init.npz and track.npz.</summary>
public class TrDiMPModelFixture : IDisposable
{
    public TrDiMPModelFixture()
    {
        Net = TrDiMPCheckpoints.LoadNet(TrDiMPGolden.WeightsPath, TrDiMPNetConfig.Small);
        Init = Npz.Load(TrDiMPGolden.File("init.npz"));
        Track = Npz.Load(TrDiMPGolden.File("track.npz"));
    }

    public TrDiMPNet Net { get; }
    public Npz Init { get; }
    public Npz Track { get; }

    /// <summary>pytracking's network input: <c>((patch / 255) − mean) / std</c> on an RGB patch in 0..255.</summary>
    public static Tensor Normalize(Tensor patch)
    {
        var mean = tensor(new float[] { 0.485f, 0.456f, 0.406f }).view(1, -1, 1, 1);
        var std = tensor(new float[] { 0.229f, 0.224f, 0.225f }).view(1, -1, 1, 1);
        return (patch / 255 - mean) / std;
    }

    public virtual void Dispose()
    {
        Net.Dispose();
        Init.Dispose();
        Track.Dispose();
    }
}
