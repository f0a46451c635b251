using OpenCvSharp;
using TrackSharp.Geometry;

namespace TrackSharp.Data.Crop511;

/// <summary>
/// The geometry of pysot's offline crops (<c>training_dataset/*/par_crop.py</c>) and of the box a pysot dataset
/// derives from an annotation (<c>datasets/dataset.py _get_bbox</c>), written from their definitions. A crop511 image
/// is the square of side <c>s_x = s_z + 2·((instance − exemplar)/2)/(exemplar/s_z)</c> around the box centre, where
/// <c>s_z = sqrt((w + c(w+h))(h + c(w+h)))</c> is the context side; it is mapped onto <c>instance</c> pixels by an affine
/// warp in which the square's corners land on pixel centres 0 and <c>instance − 1</c>, and the outside is filled with
/// the frame's float channel mean (OpenCV rounds it to the image type).
/// </summary>
public static class Crop511Geometry
{
    /// <summary>pysot's exemplar (template) size, 127.</summary>
    public const int ExemplarSize = 127;

    /// <summary>pysot's offline crop size, 511.</summary>
    public const int InstanceSize = 511;

    /// <summary>The context side <c>s_z</c> of a <paramref name="width"/> x <paramref name="height"/> box (float64).</summary>
    public static double ContextSide(double width, double height, double contextAmount = 0.5) =>
        ContextCrop.ContextSide(width, height, contextAmount);

    /// <summary>The side <c>s_x</c> in frame pixels of the square that becomes the <paramref name="instanceSize"/> crop.</summary>
    public static double SearchSide(double width, double height, double contextAmount = 0.5,
        int exemplarSize = ExemplarSize, int instanceSize = InstanceSize)
    {
        double sz = ContextSide(width, height, contextAmount);
        double scale = exemplarSize / sz;
        double pad = (instanceSize - exemplarSize) / 2.0 / scale;
        return sz + 2 * pad;
    }

    /// <summary>The square (x1, y1, x2, y2) in frame pixels that a crop of <paramref name="box"/> covers
    /// (<c>pos_s_2_bbox(centre, s_x)</c>).</summary>
    public static BoxXyxy SearchSquare(BoxXyxy box, double contextAmount = 0.5, int exemplarSize = ExemplarSize,
        int instanceSize = InstanceSize)
    {
        double cx = (box.X1 + box.X2) / 2.0, cy = (box.Y1 + box.Y2) / 2.0;
        double s = SearchSide(box.X2 - box.X1, box.Y2 - box.Y1, contextAmount, exemplarSize, instanceSize);
        return new BoxXyxy(cx - s / 2, cy - s / 2, cx + s / 2, cy + s / 2);
    }

    /// <summary>
    /// pysot's <c>crop_hwc</c>: warps the square <paramref name="square"/> of <paramref name="image"/> onto
    /// <paramref name="outputSize"/> x <paramref name="outputSize"/> pixels (x' = a·x + c with a = (out−1)/(x2−x1),
    /// c = −a·x1; likewise for y), bilinear, constant border <paramref name="padding"/>.
    /// </summary>
    public static Mat CropSquare(Mat image, BoxXyxy square, int outputSize, Scalar padding)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!(square.X2 > square.X1 && square.Y2 > square.Y1))
            throw new ArgumentException($"crop square ({square.X1}, {square.Y1}, {square.X2}, {square.Y2}) is empty", nameof(square));
        double a = (outputSize - 1) / (square.X2 - square.X1);
        double b = (outputSize - 1) / (square.Y2 - square.Y1);
        using var mapping = new Mat(2, 3, MatType.CV_64FC1);
        mapping.Set(0, 0, a); mapping.Set(0, 1, 0.0); mapping.Set(0, 2, -a * square.X1);
        mapping.Set(1, 0, 0.0); mapping.Set(1, 1, b); mapping.Set(1, 2, -b * square.Y1);
        var crop = new Mat();
        Cv2.WarpAffine(image, crop, mapping, new Size(outputSize, outputSize), InterpolationFlags.Linear,
            BorderTypes.Constant, padding);
        return crop;
    }

    /// <summary>The crop511 search image of <paramref name="box"/> (the <c>x</c> image of <c>crop_like_SiamFC</c>).</summary>
    public static Mat CropSearch(Mat image, BoxXyxy box, double[] channelMean, double contextAmount = 0.5,
        int exemplarSize = ExemplarSize, int instanceSize = InstanceSize)
    {
        ArgumentNullException.ThrowIfNull(channelMean);
        var square = SearchSquare(box, contextAmount, exemplarSize, instanceSize);
        return CropSquare(image, square, instanceSize, new Scalar(channelMean[0], channelMean[1], channelMean[2]));
    }

    /// <summary>
    /// pysot's <c>_get_bbox</c>: the target in a crop511 image of <paramref name="imageWidth"/> x
    /// <paramref name="imageHeight"/> pixels, centred at (W//2, H//2), sized as it appears at the exemplar scale
    /// (the annotation's w, h times <c>exemplar/s_z</c>). This is the box the augmentation moves.
    /// </summary>
    public static BoxXyxy TargetInCrop(int imageWidth, int imageHeight, double width, double height,
        double contextAmount = 0.5, int exemplarSize = ExemplarSize)
    {
        double scale = exemplarSize / ContextSide(width, height, contextAmount);
        double w = width * scale, h = height * scale;
        double cx = imageWidth / 2, cy = imageHeight / 2;
        return new BoxXyxy(cx - w * 0.5, cy - h * 0.5, cx + w * 0.5, cy + h * 0.5);
    }
}
