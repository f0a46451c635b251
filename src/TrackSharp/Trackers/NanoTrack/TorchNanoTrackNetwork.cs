using System.Runtime.InteropServices;
using OpenCvSharp;
using TrackSharp.Nn;
using static TorchSharp.torch;

namespace TrackSharp.Trackers.NanoTrack;

/// <summary>
/// <see cref="INanoTrackNetwork"/> on TorchSharp. It runs the model's inference plan
/// (<see cref="NanoTrackModel.PrepareForInference"/>: BN folded, channels-last, template-only head work done
/// once per template). Input tensors are allocated once, in the channels-last layout, and filled in place from
/// the crops; every temporary of a step is freed within the step, so native memory stays flat however long the
/// video.
/// </summary>
public sealed class TorchNanoTrackNetwork : INanoTrackNetwork
{
    private readonly NanoTrackModel _model;
    private readonly NanoTrackInference _inference;
    // The crops are written as interleaved HWC floats (the Mat's own order, so one SIMD conversion) into the
    // *Pixels buffers; the *Input tensors are the same memory seen as NCHW with channels-last strides.
    private readonly Tensor _templatePixels, _templateInput;
    private readonly Tensor _searchPixels, _searchInput;
    private Tensor? _templateFeatures;

    public int ScoreSize { get; }
    public NanoTrackModel Model => _model;

    /// <param name="model">A model with its weights loaded; it is switched to evaluation mode and owned from now on.
    /// Its weights are snapshotted here: later changes to them are not seen.</param>
    /// <param name="exemplarSize">Side of the template crop.</param>
    /// <param name="instanceSize">Side of the search crop.</param>
    public TorchNanoTrackNetwork(NanoTrackModel model, int exemplarSize = 127, int instanceSize = 255)
    {
        _model = model;
        _model.eval();
        // libtorch mallocs every tensor; without this each frame page-faults its large maps back in (see NativeHeap).
        NativeHeap.RetainFreedMemory();
        _inference = _model.PrepareForInference();
        ScoreSize = NanoTrackConfig.For(model.Version).ScoreSize;
        _templatePixels = zeros(1, exemplarSize, exemplarSize, 3);
        _templateInput = _templatePixels.permute(0, 3, 1, 2);
        _searchPixels = zeros(1, instanceSize, instanceSize, 3);
        _searchInput = _searchPixels.permute(0, 3, 1, 2);
    }

    public void SetTemplate(Mat templateCrop)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Fill(_templatePixels, templateCrop);
        var features = _inference.Embed(_templateInput);
        _inference.SetTemplate(features);
        _templateFeatures?.Dispose();
        _templateFeatures = features.contiguous().DetachFromDisposeScope();
    }

    /// <summary>Backbone features of the current template, NCHW contiguous (for diagnostics and tests).</summary>
    public Tensor? TemplateFeatures => _templateFeatures;

    public void Track(Mat searchCrop, Span<float> cls, Span<float> loc)
    {
        if (_templateFeatures is null) throw new InvalidOperationException("SetTemplate must be called first");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Fill(_searchPixels, searchCrop);
        var searchFeatures = _inference.Embed(_searchInput);
        var (c, l) = _inference.Head(searchFeatures);
        CopyOut(c, cls);
        CopyOut(l, loc);
    }

    /// <summary>Backbone features of a crop, NCHW contiguous (for diagnostics and tests); the caller disposes the result.</summary>
    public Tensor EmbedSearch(Mat searchCrop)
    {
        using var noGrad = no_grad();
        Fill(_searchPixels, searchCrop);
        using var features = _inference.Embed(_searchInput);
        return features.contiguous();
    }

    /// <summary>Converts the BGR uint8 crop to floats (0..255) straight into the 1xHxWx3 tensor's memory.</summary>
    private static unsafe void Fill(Tensor pixels, Mat crop)
    {
        if (crop.Rows != pixels.shape[1] || crop.Cols != pixels.shape[2])
            throw new ArgumentException($"crop is {crop.Cols}x{crop.Rows}, network input is {pixels.shape[2]}x{pixels.shape[1]}");
        if (crop.Type() != MatType.CV_8UC3)
            throw new ArgumentException($"expected a CV_8UC3 crop, got {crop.Type()}", nameof(crop));
        // Tensor.bytes is a span over the tensor's own native memory.
        fixed (byte* data = pixels.bytes)
        {
            using var destination = Mat.FromPixelData(crop.Rows, crop.Cols, MatType.CV_32FC3, (IntPtr)data);
            crop.ConvertTo(destination, MatType.CV_32FC3);
            if (destination.Data != (IntPtr)data)
                throw new InvalidOperationException("OpenCV reallocated the input buffer instead of writing into it");
        }
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
        _inference.Dispose();
        _templateInput.Dispose();
        _templatePixels.Dispose();
        _searchInput.Dispose();
        _searchPixels.Dispose();
        _model.Dispose();
    }
}
