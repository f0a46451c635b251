using TorchSharp;
using static TorchSharp.torch;

namespace TrackSharp.Detection.Data;

/// <summary>
/// maskrcnn-benchmark's <c>BatchCollator(SIZE_DIVISIBILITY)</c>: pads every image of a batch (bottom and right, zeros)
/// to the largest height and width in the batch, rounded up to a multiple of the divisibility (32 for FPN models;
/// 0 = no rounding).
/// </summary>
public static class DetectionBatchCollator
{
    public static DetectionBatch Collate(IReadOnlyList<DetectionSample> samples, int sizeDivisibility = 32)
    {
        if (samples.Count == 0) throw new ArgumentException("cannot collate an empty batch");
        if (sizeDivisibility < 0) throw new ArgumentOutOfRangeException(nameof(sizeDivisibility), $"size divisibility must be >= 0, got {sizeDivisibility}");
        long c = samples[0].Image.shape[0];
        long maxH = samples.Max(s => s.Image.shape[1]), maxW = samples.Max(s => s.Image.shape[2]);
        if (sizeDivisibility > 0)
        {
            maxH = (maxH + sizeDivisibility - 1) / sizeDivisibility * sizeDivisibility;
            maxW = (maxW + sizeDivisibility - 1) / sizeDivisibility * sizeDivisibility;
        }
        var images = torch.zeros([samples.Count, c, maxH, maxW], ScalarType.Float32);
        using (torch.no_grad())
        {
            for (int i = 0; i < samples.Count; i++)
            {
                var img = samples[i].Image;
                if (img.shape[0] != c) throw new ArgumentException($"sample {i} has {img.shape[0]} channels, expected {c}");
                using var view = images[i, .., ..(int)img.shape[1], ..(int)img.shape[2]];
                view.copy_(img);
            }
        }
        return new DetectionBatch
        {
            Images = images,
            ImageSizes = samples.Select(s => ((int)s.Image.shape[1], (int)s.Image.shape[2])).ToArray(),
            Targets = samples.Select(s => s.Target).ToArray(),
            Indices = samples.Select(s => s.Index).ToArray(),
        };
    }
}
