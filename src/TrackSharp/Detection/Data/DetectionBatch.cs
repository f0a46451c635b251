using TorchSharp;

namespace TrackSharp.Detection.Data;

/// <summary>
/// A collated batch (maskrcnn-benchmark's <c>BatchCollator</c> + <c>to_image_list</c>): the images zero-padded at the
/// bottom and right into one N x 3 x H x W tensor whose H and W are multiples of the size divisibility, the size of
/// each image before padding, the targets and the dataset indices.
/// </summary>
public sealed class DetectionBatch : IDisposable
{
    public required torch.Tensor Images { get; init; }
    public required IReadOnlyList<(int Height, int Width)> ImageSizes { get; init; }
    public required IReadOnlyList<DetectionTarget> Targets { get; init; }
    public required IReadOnlyList<int> Indices { get; init; }

    public void Dispose() => Images.Dispose();
}
