using TrackSharp.Data.Loading;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.SiamFCpp.Training;

/// <summary>
/// One SiamFC++ training pair with its targets, under the names of videoanalyst's training batch (so a collated
/// <see cref="TensorBatch"/> has the reference's keys). Owns its tensors.
/// </summary>
/// <param name="ImZ"><c>im_z</c> [3, 127, 127] float32, BGR 0..255 (the uint8 crop as float, no normalisation).</param>
/// <param name="ImX"><c>im_x</c> [3, 303, 303] float32, BGR 0..255.</param>
/// <param name="BboxZ"><c>bbox_z</c> [4] float32: the target in the template crop (x0, y0, x1, y1), inclusive corners.</param>
/// <param name="BboxX"><c>bbox_x</c> [4] float32: the target (negative pair: the other video's box) in the search crop.</param>
/// <param name="ClsGt"><c>cls_gt</c> [289, 1] float32 (negative pair: 0 → −1, 1 → 0).</param>
/// <param name="CtrGt"><c>ctr_gt</c> [289, 1] float32.</param>
/// <param name="BoxGt"><c>box_gt</c> [289, 4] float32, absolute (x0, y0, x1, y1).</param>
/// <param name="IsNegativePair"><c>is_negative_pair</c>: int64 scalar, 1 for a negative pair (batched: [B]).</param>
public sealed record SiamFCppTrainingSample(Tensor ImZ, Tensor ImX, Tensor BboxZ, Tensor BboxX, Tensor ClsGt, Tensor CtrGt,
    Tensor BoxGt, Tensor IsNegativePair) : ITensorSample
{
    /// <summary>Batch keys (videoanalyst's).</summary>
    public const string ImZKey = "im_z", ImXKey = "im_x", BboxZKey = "bbox_z", BboxXKey = "bbox_x", ClsGtKey = "cls_gt",
        CtrGtKey = "ctr_gt", BoxGtKey = "box_gt", IsNegativePairKey = "is_negative_pair";

    public IEnumerable<KeyValuePair<string, Tensor>> NamedTensors =>
    [
        new(ImZKey, ImZ), new(ImXKey, ImX), new(BboxZKey, BboxZ), new(BboxXKey, BboxX),
        new(ClsGtKey, ClsGt), new(CtrGtKey, CtrGt), new(BoxGtKey, BoxGt), new(IsNegativePairKey, IsNegativePair),
    ];

    public void Dispose()
    {
        foreach (var (_, t) in NamedTensors) t.Dispose();
    }
}
