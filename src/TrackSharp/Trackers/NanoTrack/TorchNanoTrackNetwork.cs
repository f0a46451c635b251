using System.Runtime.InteropServices;
using OpenCvSharp;
using TrackSharp.Imaging;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.NanoTrack;

/// <summary>
/// <see cref="INanoTrackNetwork"/> on TorchSharp. Input tensors are allocated once and filled in place from
/// the crops; the template features are kept between frames; every temporary of a step lives in a dispose
/// scope, so native memory stays flat however long the video.
/// </summary>
public sealed class TorchNanoTrackNetwork : INanoTrackNetwork
{
    private readonly NanoTrackModel _model;
    private readonly Tensor _templateInput;
    private readonly Tensor _searchInput;
    private Tensor? _templateFeatures;

    public int ScoreSize { get; }
    public NanoTrackModel Model => _model;

    /// <param name="model">A model with its weights loaded; it is switched to evaluation mode and owned from now on.</param>
    /// <param name="exemplarSize">Template crop side (127).</param>
    /// <param name="instanceSize">Search crop side (255).</param>
    public TorchNanoTrackNetwork(NanoTrackModel model, int exemplarSize = 127, int instanceSize = 255)
    {
        _model = model;
        _model.eval();
        ScoreSize = NanoTrackConfig.For(model.Version).ScoreSize;
        _templateInput = zeros(1, 3, exemplarSize, exemplarSize);
        _searchInput = zeros(1, 3, instanceSize, instanceSize);
    }

    public void SetTemplate(Mat templateCrop)
    {
        using var noGrad = no_grad();
        Fill(_templateInput, templateCrop);
        _templateFeatures?.Dispose();
        _templateFeatures = _model.Embed(_templateInput);
    }

    /// <summary>Backbone features of the current template (for diagnostics and tests).</summary>
    public Tensor? TemplateFeatures => _templateFeatures;

    public void Track(Mat searchCrop, Span<float> cls, Span<float> loc)
    {
        if (_templateFeatures is null) throw new InvalidOperationException("SetTemplate must be called first");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Fill(_searchInput, searchCrop);
        var searchFeatures = _model.Embed(_searchInput);
        var (c, l) = _model.Head(_templateFeatures, searchFeatures);
        CopyOut(c, cls);
        CopyOut(l, loc);
    }

    /// <summary>Backbone features of a crop (for diagnostics and tests); the caller disposes the result.</summary>
    public Tensor EmbedSearch(Mat searchCrop)
    {
        using var noGrad = no_grad();
        Fill(_searchInput, searchCrop);
        return _model.Embed(_searchInput);
    }

    private static void Fill(Tensor input, Mat crop)
    {
        if (crop.Rows != input.shape[2] || crop.Cols != input.shape[3])
            throw new ArgumentException($"crop is {crop.Cols}x{crop.Rows}, network input is {input.shape[3]}x{input.shape[2]}");
        // Tensor.bytes is a span over the tensor's own native memory: the crop is written in place.
        PlanarConversion.CopyToPlanarFloat(crop, MemoryMarshal.Cast<byte, float>(input.bytes));
    }

    private static void CopyOut(Tensor source, Span<float> destination)
    {
        using var contiguousSource = source.contiguous();
        if (contiguousSource.numel() != destination.Length)
            throw new InvalidOperationException($"network output has {contiguousSource.numel()} values, expected {destination.Length}");
        MemoryMarshal.Cast<byte, float>(contiguousSource.bytes).CopyTo(destination);
    }

    public void Dispose()
    {
        _templateFeatures?.Dispose();
        _templateInput.Dispose();
        _searchInput.Dispose();
        _model.Dispose();
    }
}
