using TrackSharp.Data.Loading;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.SiamBAN.Training;

/// <summary>
/// One SiamBAN training pair under the keys of pysot's batch (<c>BANDataset.__getitem__</c>). Owns its tensors.
/// </summary>
/// <param name="Template"><c>template</c> [3, 127, 127] float32, BGR, augmented (not clipped, not normalised).</param>
/// <param name="Search"><c>search</c> [3, 255, 255] float32.</param>
/// <param name="LabelCls"><c>label_cls</c> [25, 25] int64: 1 positive, 0 negative, −1 ignored.</param>
/// <param name="LabelLoc"><c>label_loc</c> [4, 25, 25] float32 l, t, r, b distances.</param>
/// <param name="Bbox"><c>bbox</c> [4] float32: the target in the search crop (x1, y1, x2, y2).</param>
public sealed record SiamBanTrainingSample(Tensor Template, Tensor Search, Tensor LabelCls, Tensor LabelLoc, Tensor Bbox) : ITensorSample
{
    public const string TemplateKey = "template", SearchKey = "search", LabelClsKey = "label_cls", LabelLocKey = "label_loc",
        BboxKey = "bbox";

    public IEnumerable<KeyValuePair<string, Tensor>> NamedTensors =>
    [
        new(TemplateKey, Template), new(SearchKey, Search), new(LabelClsKey, LabelCls), new(LabelLocKey, LabelLoc), new(BboxKey, Bbox),
    ];

    public void Dispose()
    {
        foreach (var (_, t) in NamedTensors) t.Dispose();
    }
}
