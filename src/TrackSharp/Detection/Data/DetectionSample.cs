using TorchSharp;

namespace TrackSharp.Detection.Data;

/// <summary>One transformed image (CHW float32, normalised, not padded), its transformed target and its dataset index.</summary>
public sealed record DetectionSample(torch.Tensor Image, DetectionTarget Target, int Index) : IDisposable
{
    public void Dispose() => Image.Dispose();
}
