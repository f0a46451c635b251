using OpenCvSharp;
using TrackSharp.Data.Crop511;
using TrackSharp.Geometry;

namespace TrackSharp.Data.Processing;

/// <summary>One side's settings of pysot's augmentation (<c>DATASET.TEMPLATE</c> or <c>DATASET.SEARCH</c>).</summary>
/// <param name="Shift">Largest shift of the crop window in pixels (uniform in ±Shift).</param>
/// <param name="Scale">Largest relative scale change of the crop window per axis (uniform in 1 ± Scale).</param>
/// <param name="Blur">Probability of the random line-kernel blur.</param>
/// <param name="Flip">Probability of a horizontal flip (0: not even drawn).</param>
/// <param name="Color">Probability of the PCA colour offset.</param>
public sealed record PysotAugmentationOptions(double Shift, double Scale, double Blur, double Flip, double Color)
{
    /// <summary>pysot's template defaults (SHIFT 4, SCALE 0.05, COLOR 1).</summary>
    public static PysotAugmentationOptions Template { get; } = new(4, 0.05, 0, 0, 1);

    /// <summary>pysot's search defaults (SHIFT 64, SCALE 0.18, COLOR 1).</summary>
    public static PysotAugmentationOptions Search { get; } = new(64, 0.18, 0, 0, 1);
}

/// <summary>The augmented crop and the target box in it.</summary>
/// <param name="Image">size x size, CV_32FC3, BGR; not clipped to 0..255 (the colour offset may leave the range), as
/// the reference's float image is.</param>
/// <param name="Box">The target (x1, y1, x2, y2) in crop pixels.</param>
public sealed record AugmentedCrop(Mat Image, BoxXyxy Box) : IDisposable
{
    public void Dispose() => Image.Dispose();
}

/// <summary>
/// pysot's training augmentation (<c>datasets/augmentation.py Augmentation.__call__</c>), written from its definition.
/// From a crop511 image and the target box in it (<see cref="Crop511Geometry.TargetInCrop"/>):
/// <list type="number">
/// <item>gray (when the pair is gray): BGR → gray → BGR;</item>
/// <item>the crop window starts as the (size−1)-wide square centred at (H//2, W//2); scale: each side times
/// <c>1 + u·Scale</c> (u uniform in [−1, 1), x then y), capped so it stays within the image size; shift: the window
/// moves by <c>u·Shift</c> (x then y), clamped so that it stays inside the image; the window is warped onto size x size
/// (<see cref="Crop511Geometry.CropSquare"/>, black border); the box moves to the window's origin and is divided by the
/// scale factors;</item>
/// <item>colour (probability Color): the image minus <c>rgbVar · n</c> (three normals), reversed to BGR order;</item>
/// <item>blur (probability Blur): a random odd kernel 5..45 whose centre column holds <c>wx/size</c> and centre row
/// <c>(1−wx)/size</c>, applied with filter2D;</item>
/// <item>flip (probability Flip, only drawn when Flip is non-zero): mirror the image, box → (W−1−x2, y1, W−1−x1, y2).</item>
/// </list>
/// The random numbers come from an <see cref="IAugmentationDraws"/> in the reference's order, so a replay of the same
/// values gives the same crop.
/// </summary>
public sealed class PysotAugmentation(PysotAugmentationOptions options)
{
    /// <summary>pysot's <c>rgbVar</c> (PCA of ImageNet colours), float32 as the reference stores it.</summary>
    private static readonly float[,] RgbVar =
    {
        { -0.55919361f, 0.98062831f, -0.41940627f },
        { 1.72091413f, 0.19879334f, -1.82968581f },
        { 4.64467907f, 4.73710203f, 4.88324118f },
    };

    public PysotAugmentationOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>Augments <paramref name="image"/> (CV_8UC3 BGR; not modified) into a <paramref name="size"/> crop.</summary>
    public AugmentedCrop Apply(Mat image, BoxXyxy box, int size, bool gray, IAugmentationDraws draws)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(draws);
        if (image.Type() != MatType.CV_8UC3) throw new ArgumentException($"expected a CV_8UC3 image, got {image.Type()}", nameof(image));
        Mat current = image;
        Mat? grayed = null;
        try
        {
            if (gray)
            {
                using var g = new Mat();
                Cv2.CvtColor(image, g, ColorConversionCodes.BGR2GRAY);
                grayed = new Mat();
                Cv2.CvtColor(g, grayed, ColorConversionCodes.GRAY2BGR);
                current = grayed;
            }
            var (window, targetBox) = ShiftScale(image.Width, image.Height, box, size, draws);
            var result = Crop511Geometry.CropSquare(current, window, size, new Scalar(0, 0, 0));
            try
            {
                if (Options.Color > draws.Uniform()) result = Replace(result, ColorOffset(result, draws));
                if (Options.Blur > draws.Uniform()) result = Replace(result, Blurred(result, draws));
                if (Options.Flip != 0 && Options.Flip > draws.Uniform())
                {
                    var flipped = new Mat();
                    Cv2.Flip(result, flipped, FlipMode.Y);
                    result = Replace(result, flipped);
                    int w = result.Width;
                    targetBox = new BoxXyxy(w - 1 - targetBox.X2, targetBox.Y1, w - 1 - targetBox.X1, targetBox.Y2);
                }
                var output = new Mat();
                result.ConvertTo(output, MatType.CV_32FC3);
                result.Dispose();
                return new AugmentedCrop(output, targetBox);
            }
            catch
            {
                result.Dispose();
                throw;
            }
        }
        finally
        {
            grayed?.Dispose();
        }
    }

    /// <summary>The crop window (frame pixels) and the target box in the output crop, drawing scale then shift.</summary>
    public (BoxXyxy Window, BoxXyxy Box) ShiftScale(int imageWidth, int imageHeight, BoxXyxy box, int size, IAugmentationDraws draws)
    {
        ArgumentNullException.ThrowIfNull(draws);
        // center2corner(Center(shape[0] // 2, shape[1] // 2, size - 1, size - 1)): x from the height, y from the width.
        double cx = imageHeight / 2, cy = imageWidth / 2, cw = size - 1, ch = size - 1;
        double scaleX = 1, scaleY = 1;
        if (Options.Scale != 0)
        {
            scaleX = 1.0 + (draws.Uniform() * 2 - 1.0) * Options.Scale;
            scaleY = 1.0 + (draws.Uniform() * 2 - 1.0) * Options.Scale;
            scaleX = Math.Min(scaleX, (double)imageWidth / cw);
            scaleY = Math.Min(scaleY, (double)imageHeight / ch);
            cw *= scaleX;
            ch *= scaleY;
        }
        double x1 = cx - cw * 0.5, y1 = cy - ch * 0.5, x2 = cx + cw * 0.5, y2 = cy + ch * 0.5;
        if (Options.Shift != 0)
        {
            double sx = (draws.Uniform() * 2 - 1.0) * Options.Shift;
            double sy = (draws.Uniform() * 2 - 1.0) * Options.Shift;
            sx = Math.Max(-x1, Math.Min(imageWidth - 1 - x2, sx));
            sy = Math.Max(-y1, Math.Min(imageHeight - 1 - y2, sy));
            x1 += sx; x2 += sx; y1 += sy; y2 += sy;
        }
        var target = new BoxXyxy(box.X1 - x1, box.Y1 - y1, box.X2 - x1, box.Y2 - y1);
        if (Options.Scale != 0)
            target = new BoxXyxy(target.X1 / scaleX, target.Y1 / scaleY, target.X2 / scaleX, target.Y2 / scaleY);
        return (new BoxXyxy(x1, y1, x2, y2), target);
    }

    /// <summary>The BGR offset subtracted by the colour augmentation for the normals <paramref name="n0"/>, <paramref name="n1"/>, <paramref name="n2"/> (float32 products as
    /// the reference's float32 rgbVar times float64 normals give float64: computed in float64 from the float32 matrix).</summary>
    public static double[] ColorOffsetBgr(double n0, double n1, double n2)
    {
        var rgb = new double[3];
        for (int i = 0; i < 3; i++) rgb[i] = RgbVar[i, 0] * n0 + RgbVar[i, 1] * n1 + RgbVar[i, 2] * n2;
        return [rgb[2], rgb[1], rgb[0]];
    }

    private static Mat ColorOffset(Mat image, IAugmentationDraws draws)
    {
        double n0 = draws.Normal(), n1 = draws.Normal(), n2 = draws.Normal();
        var offset = ColorOffsetBgr(n0, n1, n2);
        var asDouble = new Mat();
        image.ConvertTo(asDouble, MatType.CV_64FC3);
        Cv2.Subtract(asDouble, new Scalar(offset[0], offset[1], offset[2]), asDouble);
        return asDouble;
    }

    private static readonly int[] KernelSizes = Enumerable.Range(0, 21).Select(i => 5 + 2 * i).ToArray(); // np.arange(5, 46, 2)

    private static Mat Blurred(Mat image, IAugmentationDraws draws)
    {
        int size = KernelSizes[draws.Index(KernelSizes.Length)];
        double wx = draws.Uniform();
        using var kernel = new Mat(size, size, MatType.CV_64FC1, Scalar.All(0));
        int c = size / 2;
        for (int i = 0; i < size; i++)
        {
            kernel.Set(i, c, kernel.At<double>(i, c) + 1.0 / size * wx);
            kernel.Set(c, i, kernel.At<double>(c, i) + 1.0 / size * (1 - wx));
        }
        var blurred = new Mat();
        Cv2.Filter2D(image, blurred, -1, kernel);
        return blurred;
    }

    private static Mat Replace(Mat old, Mat replacement)
    {
        old.Dispose();
        return replacement;
    }
}
