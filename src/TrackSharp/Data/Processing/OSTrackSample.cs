using TrackSharp.Data.Loading;
using static TorchSharp.torch;

namespace TrackSharp.Data.Processing;

/// <summary>
/// One OSTrack training sample (one template, one search region). Boxes are normalised xywh relative to their crop
/// (<c>transform_image_to_crop(..., normalize=True)</c>); images are float32 CHW, RGB, normalised with MEAN/STD;
/// attention masks are bool with True = padding. Owns its tensors.
/// </summary>
/// <param name="Template">[3, Tz, Tz] float32.</param>
/// <param name="TemplateAttention">[Tz, Tz] bool.</param>
/// <param name="TemplateBox">[4] float32, normalised xywh.</param>
/// <param name="Search">[3, Sx, Sx] float32.</param>
/// <param name="SearchAttention">[Sx, Sx] bool.</param>
/// <param name="SearchBox">[4] float32, normalised xywh.</param>
/// <param name="Heatmap">[Sx/stride, Sx/stride] float32: <c>generate_heatmap</c> of <paramref name="SearchBox"/>.</param>
public sealed record OSTrackSample(Tensor Template, Tensor TemplateAttention, Tensor TemplateBox,
    Tensor Search, Tensor SearchAttention, Tensor SearchBox, Tensor Heatmap) : ITensorSample
{
    /// <summary>Names used in collated batches (OSTrack's data keys).</summary>
    public const string TemplateKey = "template_images", TemplateAttentionKey = "template_att", TemplateBoxKey = "template_anno",
        SearchKey = "search_images", SearchAttentionKey = "search_att", SearchBoxKey = "search_anno", HeatmapKey = "search_heatmap";

    public IEnumerable<KeyValuePair<string, Tensor>> NamedTensors =>
    [
        new(TemplateKey, Template), new(TemplateAttentionKey, TemplateAttention), new(TemplateBoxKey, TemplateBox),
        new(SearchKey, Search), new(SearchAttentionKey, SearchAttention), new(SearchBoxKey, SearchBox),
        new(HeatmapKey, Heatmap),
    ];

    public void Dispose()
    {
        foreach (var (_, t) in NamedTensors) t.Dispose();
    }
}
