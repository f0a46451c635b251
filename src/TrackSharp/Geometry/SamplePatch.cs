using OpenCvSharp;
using TrackSharp.Imaging;
using static TorchSharp.torch;

namespace TrackSharp.Geometry;

/// <summary>How <see cref="SamplePatch"/> treats the image border (pytracking's <c>mode</c>).</summary>
public enum PatchBorderMode
{
    /// <summary>'replicate': the window stays where it is; pixels outside repeat the nearest edge pixel.</summary>
    Replicate,
    /// <summary>'inside': shrink the window by the larger of sample/image (capped at the max scale change),
    /// then shift it inside the image.</summary>
    Inside,
    /// <summary>'inside_major': as <see cref="Inside"/> but shrink by the smaller ratio, so the window may still
    /// exceed the image along one axis (it is then centred on the image along that axis).</summary>
    InsideMajor,
}

/// <summary>
/// The patch window of pytracking's <c>sample_patch</c> as <c>df * [tl, br]</c> in image pixels, (y, x) order:
/// rows <c>Top .. Bottom - 1</c>, columns <c>Left .. Right - 1</c> (exclusive bottom/right). With a
/// pre-downsampling factor df > 1 this is in downsampled units times df <b>without</b> the stride offset, i.e.
/// exactly what the reference returns (not the exact sampled rectangle).
/// </summary>
public readonly record struct PatchCoord(long Top, long Left, long Bottom, long Right)
{
    /// <summary><c>(tl + br - 1) / 2</c> per axis, the sample position trackers derive from the coordinates.</summary>
    public (double Y, double X) Center => ((Top + Bottom - 1) / 2.0, (Left + Right - 1) / 2.0);
    public long Height => Bottom - Top;
    public long Width => Right - Left;
}

/// <summary>Result of <see cref="SamplePatch.Extract(Tensor, float, float, float, float, int?, int?, PatchBorderMode, double?)"/>;
/// owns <paramref name="Patch"/>.</summary>
/// <param name="Patch">Float32 tensor (1, C, outH, outW) in the input's channel order and value range (pixel units
/// 0..255 for an image).</param>
/// <param name="Coord">The reference's <c>patch_coord</c>.</param>
/// <param name="DownsampleFactor">The stride-slicing factor df used before cropping.</param>
public sealed record SampledPatch(Tensor Patch, PatchCoord Coord, int DownsampleFactor) : IDisposable
{
    public void Dispose() => Patch.Dispose();
}

/// <summary>
/// pytracking's <c>sample_patch</c> (<c>pytracking/features/preprocessing.py</c>), reproduced exactly: the
/// reference returns a float tensor, so this does too.
/// </summary>
/// <remarks>
/// Pixel-centre convention: integer pixel indices, pixel i's centre at i; positions are (y, x) with
/// <c>pos = xy + (wh - 1)/2</c> upstream. The position is truncated toward zero (<c>pos.long()</c>); the window of
/// <c>szl = max(round_half_even(size / df), 2)</c> pixels spans <c>pos - (szl-1)/2 .. pos + szl/2</c>. Before
/// cropping the image is stride-sliced by <c>df = max(int(min(size/output) - 0.1), 1)</c> starting at the
/// non-negative remainder <c>pos mod df</c>. Pixels outside the (sliced) image replicate its edge. If the window
/// size differs from the output size it is resized with torch's bilinear interpolation, align_corners=False,
/// no antialiasing. Sizes and ratios are float32 like the reference's tensors. Window and coordinates are exact;
/// resized values agree with the reference (PyTorch 1.13) to ~1.5e-4 on 0..255 pixels, not bit for bit: libtorch
/// 2.10's bilinear kernel rounds differently (a float32 port of the 1.13 formula did not reach bit equality either).
/// </remarks>
public static class SamplePatch
{
    /// <summary>
    /// Samples from a BGR uint8 frame; the patch is RGB float32 in 0..255 (pytracking's <c>numpy_to_torch</c> of
    /// an RGB image). To sample one frame several times convert it once with <see cref="TensorImage.ToTensor"/>
    /// (RGB, raw) and use the tensor overload.
    /// </summary>
    public static SampledPatch Extract(Mat bgrImage, float posY, float posX, float sampleHeight, float sampleWidth,
        int? outputHeight, int? outputWidth, PatchBorderMode mode = PatchBorderMode.Replicate, double? maxScaleChange = null)
    {
        using var image = TensorImage.ToTensor(bgrImage, new TensorImageOptions { ChannelOrder = ChannelOrder.Rgb });
        return Extract(image, posY, posX, sampleHeight, sampleWidth, outputHeight, outputWidth, mode, maxScaleChange);
    }

    /// <summary>
    /// <c>sample_patch(im, pos, sample_sz, output_sz, mode, max_scale_change)</c> on a (1, C, H, W) float tensor.
    /// <paramref name="outputHeight"/>/<paramref name="outputWidth"/> both null = no resizing (and df = 1).
    /// <paramref name="maxScaleChange"/> caps the shrink factor of the inside modes (null = no cap).
    /// </summary>
    public static SampledPatch Extract(Tensor image, float posY, float posX, float sampleHeight, float sampleWidth,
        int? outputHeight, int? outputWidth, PatchBorderMode mode = PatchBorderMode.Replicate, double? maxScaleChange = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.dim() != 4 || image.shape[0] != 1)
            throw new ArgumentException($"expected an image tensor of shape (1, C, H, W), got [{string.Join(", ", image.shape)}]", nameof(image));
        if (outputHeight.HasValue != outputWidth.HasValue)
            throw new ArgumentException("give both output height and width, or neither");
        if (outputHeight is < 1 || outputWidth is < 1)
            throw new ArgumentOutOfRangeException(nameof(outputHeight), "output size must be >= 1 px");
        if (!float.IsFinite(posY) || !float.IsFinite(posX))
            throw new ArgumentException($"position ({posY}, {posX}) is not finite");
        if (!(sampleHeight > 0) || !(sampleWidth > 0) || !float.IsFinite(sampleHeight) || !float.IsFinite(sampleWidth))
            throw new ArgumentException($"sample size ({sampleHeight}, {sampleWidth}) must be positive and finite");
        long imH = image.shape[2], imW = image.shape[3];

        long posLy = (long)posY, posLx = (long)posX; // pos.long(): truncation toward zero

        if (mode is PatchBorderMode.Inside or PatchBorderMode.InsideMajor)
        {
            float shrinkY = sampleHeight / imH, shrinkX = sampleWidth / imW;
            float shrink = mode == PatchBorderMode.Inside ? MathF.Max(shrinkY, shrinkX) : MathF.Min(shrinkY, shrinkX);
            shrink = MathF.Max(shrink, 1f);
            if (maxScaleChange is double cap) shrink = MathF.Min(shrink, (float)cap);
            sampleHeight = (long)(sampleHeight / shrink);
            sampleWidth = (long)(sampleWidth / shrink);
        }

        int df = 1;
        if (outputHeight is int oh && outputWidth is int ow)
        {
            double resizeFactor = MathF.Min(sampleHeight / oh, sampleWidth / ow);
            df = Math.Max((int)(resizeFactor - 0.1), 1);
        }
        float szY = sampleHeight / df, szX = sampleWidth / df;

        long offY = 0, offX = 0, im2H = imH, im2W = imW;
        if (df > 1)
        {
            offY = FloorMod(posLy, df); offX = FloorMod(posLx, df);
            posLy = (posLy - offY) / df; posLx = (posLx - offX) / df;
            im2H = (imH - offY + df - 1) / df; im2W = (imW - offX + df - 1) / df;
        }

        long szlY = (long)MathF.Max(MathF.Round(szY, MidpointRounding.ToEven), 2f);
        long szlX = (long)MathF.Max(MathF.Round(szX, MidpointRounding.ToEven), 2f);
        long tlY = posLy - (szlY - 1) / 2, tlX = posLx - (szlX - 1) / 2;
        long brY = posLy + szlY / 2 + 1, brX = posLx + szlX / 2 + 1;

        if (mode is PatchBorderMode.Inside or PatchBorderMode.InsideMajor)
        {
            ShiftInside(ref tlY, ref brY, im2H);
            ShiftInside(ref tlX, ref brX, im2W);
        }

        var coord = new PatchCoord(df * tlY, df * tlX, df * brY, df * brX);
        using var scope = NewDisposeScope();
        // F.pad(..., 'replicate') with possibly negative pads == gather with indices clamped into the sliced image.
        var rows = tensor(Indices(tlY, brY, im2H, offY, df), device: image.device);
        var cols = tensor(Indices(tlX, brX, im2W, offX, df), device: image.device);
        var patch = image.index_select(2, rows).index_select(3, cols);
        if (outputHeight is int h && outputWidth is int w && (patch.shape[2] != h || patch.shape[3] != w))
            patch = nn.functional.interpolate(patch, [h, w], mode: InterpolationMode.Bilinear, align_corners: false);
        return new SampledPatch(patch.contiguous().MoveToOuterDisposeScope(), coord, df);
    }

    private static void ShiftInside(ref long tl, ref long br, long size)
    {
        long shift = Math.Max(-tl, 0) - Math.Max(br - size, 0);
        tl += shift; br += shift;
        long outside = (Math.Max(-tl, 0) + Math.Max(br - size, 0)) / 2;
        if (outside > 0)
        {
            shift = -tl - outside;
            tl += shift; br += shift;
        }
    }

    /// <summary>Source indices in the full image for window [tl, br) of the df-sliced image starting at offset.</summary>
    private static long[] Indices(long tl, long br, long slicedSize, long offset, int df)
    {
        var idx = new long[br - tl];
        for (long i = tl; i < br; i++) idx[i - tl] = offset + Math.Clamp(i, 0, slicedSize - 1) * df;
        return idx;
    }

    private static long FloorMod(long a, long n) => ((a % n) + n) % n;
}
