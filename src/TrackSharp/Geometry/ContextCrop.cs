using OpenCvSharp;

namespace TrackSharp.Geometry;

/// <summary>
/// The Siamese trackers' square context crop (pysot's <c>get_subwindow</c>), reproduced pixel for pixel:
/// a window of <c>sideInImage</c> pixels centred on <c>center</c> whose origin is
/// <c>floor(center - (side + 1) / 2 + 0.5)</c> (integer window: the sub-pixel part of the centre is dropped),
/// the parts outside the image filled with the channel mean <em>truncated</em> to integers (NumPy's
/// float-to-uint8 assignment), then resized to <c>outputSide</c> with OpenCV's INTER_LINEAR on uint8 unless
/// it already has that size.
/// </summary>
public static class ContextCrop
{
    /// <summary>The crop window in image pixels (inclusive corners) and the padding it needs on each side.</summary>
    public readonly record struct Window(long XMin, long YMin, long XMax, long YMax,
        int PadTop, int PadBottom, int PadLeft, int PadRight);

    /// <summary>
    /// pysot's context side of a target: <c>sqrt((w + c(w + h)) (h + c(w + h)))</c> in image pixels, float64, not
    /// rounded (the trackers round it half-to-even at initialisation only).
    /// </summary>
    public static double ContextSide(double width, double height, double contextAmount)
    {
        double context = contextAmount * (width + height);
        return Math.Sqrt((width + context) * (height + context));
    }

    public static Window ComputeWindow(double centerX, double centerY, long side, int imageWidth, int imageHeight)
    {
        double c = (side + 1) / 2.0;
        long xMin = (long)Math.Floor(centerX - c + 0.5), yMin = (long)Math.Floor(centerY - c + 0.5);
        long xMax = xMin + side - 1, yMax = yMin + side - 1;
        return new Window(xMin, yMin, xMax, yMax,
            PadTop: (int)Math.Max(0, -yMin), PadBottom: (int)Math.Max(0, yMax - imageHeight + 1),
            PadLeft: (int)Math.Max(0, -xMin), PadRight: (int)Math.Max(0, xMax - imageWidth + 1));
    }

    /// <summary>
    /// Per-channel mean of a BGR uint8 image in float64, exactly as <c>np.mean(img, axis=(0, 1))</c>: the
    /// integer channel sums are exact in float64, so one division gives the same bits.
    /// </summary>
    public static unsafe double[] ChannelMean(Mat image)
    {
        if (image.Type() != MatType.CV_8UC3)
            throw new ArgumentException($"expected a CV_8UC3 image, got {image.Type()}", nameof(image));
        long b = 0, g = 0, r = 0;
        int rows = image.Rows, cols = image.Cols;
        for (int y = 0; y < rows; y++)
        {
            byte* row = (byte*)image.Ptr(y);
            for (int x = 0; x < cols; x++)
            {
                b += row[3 * x]; g += row[3 * x + 1]; r += row[3 * x + 2];
            }
        }
        double n = (double)rows * cols;
        return new[] { b / n, g / n, r / n };
    }

    /// <summary>
    /// Extracts the crop into <paramref name="destination"/> (resized to <paramref name="outputSide"/>).
    /// <paramref name="channelMean"/> is the float64 B,G,R mean; padded pixels get its truncated value.
    /// </summary>
    public static Window Extract(Mat image, double centerX, double centerY, long sideInImage, int outputSide,
        double[] channelMean, Mat destination)
    {
        if (sideInImage < 1) throw new ArgumentOutOfRangeException(nameof(sideInImage), sideInImage, "crop side must be >= 1 px");
        var w = ComputeWindow(centerX, centerY, sideInImage, image.Width, image.Height);
        var fill = new Scalar(Math.Truncate(channelMean[0]), Math.Truncate(channelMean[1]), Math.Truncate(channelMean[2]));

        // The part of the window inside the image.
        long x0 = Math.Max(w.XMin, 0), y0 = Math.Max(w.YMin, 0);
        long x1 = Math.Min(w.XMax, image.Width - 1), y1 = Math.Min(w.YMax, image.Height - 1);
        bool needsResize = sideInImage != outputSide;
        using var patch = new Mat();
        if (x1 < x0 || y1 < y0)
        {
            patch.Create((int)sideInImage, (int)sideInImage, MatType.CV_8UC3);
            patch.SetTo(fill);
        }
        else
        {
            using var inside = new Mat(image, new Rect((int)x0, (int)y0, (int)(x1 - x0 + 1), (int)(y1 - y0 + 1)));
            if (w.PadTop + w.PadBottom + w.PadLeft + w.PadRight == 0)
            {
                if (!needsResize) { inside.CopyTo(destination); return w; }
                Cv2.Resize(inside, destination, new Size(outputSide, outputSide), 0, 0, InterpolationFlags.Linear);
                return w;
            }
            // Padding sizes measured from the clipped window (a window beyond one edge only pads that edge).
            Cv2.CopyMakeBorder(inside, patch, (int)(y0 - w.YMin), (int)(w.YMax - y1), (int)(x0 - w.XMin),
                (int)(w.XMax - x1), BorderTypes.Constant, fill);
        }
        if (needsResize)
            Cv2.Resize(patch, destination, new Size(outputSide, outputSide), 0, 0, InterpolationFlags.Linear);
        else
            patch.CopyTo(destination);
        return w;
    }
}
