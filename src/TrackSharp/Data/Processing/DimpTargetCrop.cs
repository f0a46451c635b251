using OpenCvSharp;
using TrackSharp.Geometry;
using TrackSharp.Imaging;

namespace TrackSharp.Data.Processing;

/// <summary>How <see cref="DimpTargetCrop.SampleTargetAdaptive"/> treats a crop that leaves the image.</summary>
public enum DimpCropMode
{
    /// <summary>Keep the crop where it is and replicate the border pixels.</summary>
    Replicate,

    /// <summary>Shrink the crop (down to <c>max_scale_change</c>) until it fits both axes, then shift it inside.</summary>
    Inside,

    /// <summary>Shrink until it fits the image on at least one axis, shift it inside, centre what still sticks out (TrDiMP, SuperDiMP).</summary>
    InsideMajor,
}

/// <summary>
/// pytracking's training crop <c>sample_target_adaptive</c> + <c>transform_box_to_crop</c> (ltr/data/processing_utils.py),
/// used by DiMP-family processing (<c>target_image_crop</c>, TrDiMP: <c>inside_major</c>, max scale change 1.5, factor 6,
/// 352 px). Square crop of side <c>ceil(out · sqrt(w·h/out²) · factor)</c> in float32, shrunk per
/// <see cref="DimpCropMode"/>, placed at <c>round(centre − side/2)</c> (half to even), shifted inside the image,
/// border-replicated as <c>cv2.copyMakeBorder</c> and resized as <c>cv2.resize</c> (bilinear) by
/// <see cref="OpenCvLinearResize"/>, bit-exact to the reference's OpenCV (the runtime's IPP-backed <c>Cv2.Resize</c> is not). As in the
/// reference, the right/bottom padding is <c>max(x2 − W + 1, 0)</c>: one column/row too many when the crop ends at the
/// border, so the last image column is dropped and the previous one replicated (golden README trap 24).
/// </summary>
public static class DimpTargetCrop
{
    /// <summary>Crops <paramref name="image"/> (any channel order; the caller disposes the result) around
    /// <paramref name="target"/>; returns the crop and the cropped region <c>[x1, y1, x2 − x1, y2 − y1]</c> in the image.</summary>
    /// <exception cref="ArgumentException">The crop would be smaller than one pixel ("Too small bounding box").</exception>
    public static (Mat Crop, BoxXywh CropBox) SampleTargetAdaptive(Mat image, BoxXywh target, double searchAreaFactor,
        int outputSize, DimpCropMode mode = DimpCropMode.Replicate, double maxScaleChange = double.PositiveInfinity)
    {
        int imW = image.Width, imH = image.Height;
        float outF = outputSize;
        float areaRatio = (float)target.Width * (float)target.Height / (outF * outF);
        float side = outF * MathF.Sqrt(areaRatio) * (float)searchAreaFactor;
        long cropX = (long)MathF.Ceiling(side), cropY = cropX;
        if (mode != DimpCropMode.Replicate)
        {
            double rx = (double)cropX / imW, ry = (double)cropY / imH;
            double rescale = mode == DimpCropMode.Inside ? Math.Max(rx, ry) : Math.Min(rx, ry);
            rescale = Math.Min(Math.Max(1, rescale), maxScaleChange);
            cropX = (long)Math.Floor(cropX / rescale);
            cropY = (long)Math.Floor(cropY / rescale);
        }
        if (cropX < 1 || cropY < 1) throw new ArgumentException($"Too small bounding box: {target} gives a {cropX}x{cropY} crop");

        long x1 = (long)Math.Round(target.X + 0.5 * target.Width - cropX * 0.5, MidpointRounding.ToEven), x2 = x1 + cropX;
        long y1 = (long)Math.Round(target.Y + 0.5 * target.Height - cropY * 0.5, MidpointRounding.ToEven), y2 = y1 + cropY;

        long shiftX = Math.Max(0, -x1) + Math.Min(0, imW - x2), shiftY = Math.Max(0, -y1) + Math.Min(0, imH - y2);
        x1 += shiftX; x2 += shiftX; y1 += shiftY; y2 += shiftY;
        long outX = (Math.Max(0, -x1) + Math.Max(0, x2 - imW)) / 2, outY = (Math.Max(0, -y1) + Math.Max(0, y2 - imH)) / 2;
        shiftX = outX > 0 ? -x1 - outX : 0;
        shiftY = outY > 0 ? -y1 - outY : 0;
        x1 += shiftX; x2 += shiftX; y1 += shiftY; y2 += shiftY;

        int x1Pad = (int)Math.Max(0, -x1), x2Pad = (int)Math.Max(x2 - imW + 1, 0);
        int y1Pad = (int)Math.Max(0, -y1), y2Pad = (int)Math.Max(y2 - imH + 1, 0);
        // NumPy slicing clamps; an empty slice cannot be padded by OpenCV, as in the reference (which fails there too).
        int cx0 = (int)Math.Clamp(x1 + x1Pad, 0, imW), cx1 = (int)Math.Clamp(x2 - x2Pad, 0, imW);
        int cy0 = (int)Math.Clamp(y1 + y1Pad, 0, imH), cy1 = (int)Math.Clamp(y2 - y2Pad, 0, imH);
        if (cx1 <= cx0 || cy1 <= cy0)
            throw new ArgumentException($"crop [{x1}, {y1}, {x2}, {y2}] of {target} does not overlap the {imW}x{imH} image");
        // cv2.copyMakeBorder(BORDER_REPLICATE) of the slice, expressed as index maps (the padded crop can be 2416 px
        // wide); cv2.resize is OpenCV's portable fixed-point bilinear, not the IPP path of the OpenCvSharp runtime.
        var rowMap = ReplicateMap(cy0, cy1, y1Pad, y2Pad);
        var colMap = ReplicateMap(cx0, cx1, x1Pad, x2Pad);
        var crop = OpenCvLinearResize.Resize(image, rowMap, colMap, outputSize, outputSize);
        return (crop, new BoxXywh(x1, y1, x2 - x1, y2 - y1));
    }

    /// <summary>Image index of every row (column) of <c>copyMakeBorder(im[start:end], before, after, BORDER_REPLICATE)</c>.</summary>
    private static int[] ReplicateMap(int start, int end, int before, int after)
    {
        var map = new int[before + (end - start) + after];
        for (int i = 0; i < map.Length; i++) map[i] = start + Math.Clamp(i - before, 0, end - start - 1);
        return map;
    }

    /// <summary><c>transform_box_to_crop</c>: <paramref name="box"/> (image coordinates) in the crop of
    /// <paramref name="cropBox"/> resized to <paramref name="outputSize"/>, in float32 as the reference.</summary>
    public static BoxXywh BoxToCrop(BoxXywh box, BoxXywh cropBox, int outputSize)
    {
        float sx = outputSize / (float)cropBox.Width, sy = outputSize / (float)cropBox.Height;
        return new BoxXywh(((float)box.X - (float)cropBox.X) * sx, ((float)box.Y - (float)cropBox.Y) * sy,
            (float)box.Width * sx, (float)box.Height * sy);
    }
}
