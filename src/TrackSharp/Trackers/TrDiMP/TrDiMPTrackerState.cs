using static TorchSharp.torch;

namespace TrackSharp.Trackers.TrDiMP;

/// <summary>
/// Everything the TrDiMP tracker carries from frame to frame (pytracking's tracker attributes). Positions/sizes are
/// (y, x)/(h, w) float32 in image pixels; boxes are xywh in the 352 sample frame. Public so that a state can be rebuilt
/// from stored data (teacher forcing). Tensors are owned by the state.
/// </summary>
public sealed class TrDiMPTrackerState : IDisposable
{
    public int FrameNum { get; set; }
    public (float Y, float X) Pos { get; set; }
    public (float H, float W) TargetSz { get; set; }
    public float TargetScale { get; set; }
    public (float H, float W) BaseTargetSz { get; set; }
    public (float H, float W) ImageSz { get; set; }
    public (float Y, float X)? PosIouNet { get; set; }

    /// <summary>Weights of the sample memory (<c>sample_memory_size</c>).</summary>
    public float[] SampleWeights { get; set; } = [];
    public int NumInitSamples { get; set; }
    public int NumStoredSamples { get; set; }
    public int? PreviousReplaceIndex { get; set; }

    /// <summary>(memory, D, H, W) decoded training features.</summary>
    public required Tensor TrainingSamples { get; set; }
    /// <summary>(memory, 4) xywh boxes of the training samples.</summary>
    public required Tensor TargetBoxes { get; set; }
    /// <summary>(1, D, fs, fs) current filter.</summary>
    public required Tensor TargetFilter { get; set; }
    /// <summary>Raw classification features of the transformer memory frames (newest first), (n, D, H, W).</summary>
    public required Tensor XClf { get; set; }
    /// <summary>Their Gaussian labels (n, 1, H, W).</summary>
    public required Tensor TransformerLabel { get; set; }
    /// <summary>Encoder output over <see cref="XClf"/> (n·H·W, 1, D).</summary>
    public required Tensor TransformerMemory { get; set; }
    /// <summary>IoUNet modulation vectors (1, D3), (1, D4).</summary>
    public required Tensor IouModulation3 { get; set; }
    public required Tensor IouModulation4 { get; set; }

    public void Dispose()
    {
        TrainingSamples.Dispose();
        TargetBoxes.Dispose();
        TargetFilter.Dispose();
        XClf.Dispose();
        TransformerLabel.Dispose();
        TransformerMemory.Dispose();
        IouModulation3.Dispose();
        IouModulation4.Dispose();
    }
}
