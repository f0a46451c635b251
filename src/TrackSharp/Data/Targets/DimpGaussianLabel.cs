using TrackSharp.Geometry;

namespace TrackSharp.Data.Targets;

/// <summary>
/// pytracking's <c>gaussian_label_function</c> (ltr/data/processing_utils.py), the classification targets of DiMP,
/// PrDiMP and TrDiMP: a Gaussian on the score map centred on the target box centre, in float32 as the reference
/// computes it.
/// <para>
/// Centre in map cells: <c>feat_sz · (c − image_sz/2)/image_sz + 0.5·((kernel + 1) mod 2)</c> with <c>c = xy + wh/2</c>,
/// on the grid <c>k = −(sz − 1)/2 … (sz + 1)/2 + end_pad</c> (one more cell when <c>end_pad_if_even</c> and the kernel
/// is even: the score map of an even filter is one larger than the features); <c>sigma = sigma_factor · sqrt(fx·fy)</c>.
/// Columns use the first size and the x centre, rows the second size and the y centre, as <c>gauss_2d</c> does.
/// With <c>density</c> each 1-D factor is divided by <c>sqrt(2π)·sigma</c> and the result mixed with a uniform
/// <c>uni_bias/(cells)</c> (KL-DiMP's <c>label_density</c>); otherwise <c>uni_bias</c> is added.
/// </para>
/// The configurations TrDiMP trains with (<c>transformer_dimp.py</c>, 22×22 features, 352 crops, 4×4 filter):
/// <see cref="TrDiMPTrainLabel"/>, <see cref="TrDiMPTestLabel"/>, <see cref="TrDiMPLabelDensity"/>.
/// </summary>
public static class DimpGaussianLabel
{
    /// <summary>The label map of one box, <c>[rows, cols]</c>.</summary>
    /// <param name="box">Target box in crop pixels.</param>
    /// <param name="sigmaFactor">Sigma relative to the feature size (TrDiMP: 1/4 / 6 for the test label, 0.1 for the transformer's train mask).</param>
    /// <param name="kernelSize">Filter size (x, y).</param>
    /// <param name="featureSize">Feature map size (x, y).</param>
    /// <param name="imageSize">Crop size (x, y).</param>
    /// <param name="endPadIfEven">Add one cell for an even kernel (score-map size).</param>
    /// <param name="density">Normalise as a probability density (KL-DiMP).</param>
    /// <param name="uniformBias">Uniform part (<c>uni_bias</c>).</param>
    public static float[,] Compute(BoxXywh box, double sigmaFactor, (int X, int Y) kernelSize, (int X, int Y) featureSize,
        (double X, double Y) imageSize, bool endPadIfEven = true, bool density = false, double uniformBias = 0)
    {
        float imageX = (float)imageSize.X, imageY = (float)imageSize.Y;
        float centreX = (float)box.X + 0.5f * (float)box.Width, centreY = (float)box.Y + 0.5f * (float)box.Height;
        float normX = (centreX - imageX / 2) / imageX, normY = (centreY - imageY / 2) / imageY;
        float mapX = featureSize.X * normX + 0.5f * ((kernelSize.X + 1) % 2);
        float mapY = featureSize.Y * normY + 0.5f * ((kernelSize.Y + 1) % 2);
        double sigma = sigmaFactor * (double)MathF.Sqrt((float)featureSize.X * featureSize.Y);
        int padX = endPadIfEven && kernelSize.X % 2 == 0 ? 1 : 0, padY = endPadIfEven && kernelSize.Y % 2 == 0 ? 1 : 0;

        float[] gx = Gauss1d(featureSize.X, padX, sigma, mapX, density);
        float[] gy = Gauss1d(featureSize.Y, padY, sigma, mapY, density);
        var label = new float[gy.Length, gx.Length];
        float cells = (float)(featureSize.X + padX) * (featureSize.Y + padY);
        for (int r = 0; r < gy.Length; r++)
        for (int c = 0; c < gx.Length; c++)
        {
            float g = gx[c] * gy[r];
            label[r, c] = density ? (float)(1.0 - uniformBias) * g + (float)uniformBias / cells : g + (float)uniformBias;
        }
        return label;
    }

    /// <summary>Values <c>exp(−(k − centre)²/(2σ²))</c> on <c>k = −(sz − 1)/2, … , (sz + 1)/2 + pad</c> (exclusive end).</summary>
    private static float[] Gauss1d(int size, int pad, double sigma, float centre, bool density)
    {
        double start = -(size - 1) / 2.0, end = (size + 1) / 2.0 + pad;
        int count = (int)Math.Ceiling(end - start);
        float scale = (float)(-1.0 / (2 * sigma * sigma));
        float norm = (float)(Math.Sqrt(2 * Math.PI) * sigma);
        var result = new float[count];
        for (int i = 0; i < count; i++)
        {
            float k = (float)(start + i);
            float d = k - centre;
            float g = MathF.Exp(scale * (d * d));
            result[i] = density ? g / norm : g;
        }
        return result;
    }

    /// <summary>TrDiMP's transformer train mask (<c>_generate_train_label_function</c>): sigma factor 0.1, no end pad:
    /// 22×22 for 22×22 features.</summary>
    public static float[,] TrDiMPTrainLabel(BoxXywh box, int featureSize = 22, int kernelSize = 4, double imageSize = 352) =>
        Compute(box, 0.1, (kernelSize, kernelSize), (featureSize, featureSize), (imageSize, imageSize), endPadIfEven: false);

    /// <summary>TrDiMP's LBHinge target (<c>_generate_label_function</c>): sigma factor
    /// <c>output_sigma_factor / search_area_factor</c> = (1/4)/6, end pad: 23×23.</summary>
    public static float[,] TrDiMPTestLabel(BoxXywh box, int featureSize = 22, int kernelSize = 4, double imageSize = 352,
        double sigmaFactor = 0.25 / 6.0) =>
        Compute(box, sigmaFactor, (kernelSize, kernelSize), (featureSize, featureSize), (imageSize, imageSize));

    /// <summary>KL-DiMP's <c>_generate_label_density</c> with TrDiMP's parameters (no uniform weight, threshold 0, no
    /// normalisation, no shrink): the density label, then values ≤ <paramref name="threshold"/> set to 0.</summary>
    public static float[,] TrDiMPLabelDensity(BoxXywh box, int featureSize = 22, int kernelSize = 4, double imageSize = 352,
        double sigmaFactor = 0.25 / 6.0, double threshold = 0)
    {
        var label = Compute(box, sigmaFactor, (kernelSize, kernelSize), (featureSize, featureSize), (imageSize, imageSize), density: true);
        for (int r = 0; r < label.GetLength(0); r++)
        for (int c = 0; c < label.GetLength(1); c++)
            if (!(label[r, c] > threshold)) label[r, c] = 0;
        return label;
    }
}
