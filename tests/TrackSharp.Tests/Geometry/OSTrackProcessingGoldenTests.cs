using System.Text.Json;
using OpenCvSharp;
using TorchSharp;
using TrackSharp.Checkpoints;
using TrackSharp.Geometry;
using Xunit;

namespace TrackSharp.Tests.Geometry;

/// <summary>
/// OSTrack's sample_target, transform_image_to_crop, clip_box, map_box_back and Hann window against
/// golden/ostrack_small/processing.npz + processing.json (§6) and tracking/track.npz (§5).
/// </summary>
public class OSTrackProcessingGoldenTests
{
    private static string Dir => Path.Combine(TestPaths.Shared, "golden", "ostrack_small");
    private static readonly Lazy<Npz> Processing = new(() => Npz.Load(Path.Combine(Dir, "processing.npz")));
    private static readonly Lazy<Npz> Track = new(() => Npz.Load(Path.Combine(Dir, "tracking", "track.npz")));
    private static readonly Lazy<JsonElement> Json = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "processing.json"))).RootElement);

    /// <summary>Frame 1 as the reference decodes it (cv2.imread + BGR2RGB).</summary>
    private static Mat ReadRgb(string relative)
    {
        using var bgr = Cv2.ImRead(Path.Combine(Dir, relative), ImreadModes.Color);
        Assert.False(bgr.Empty(), $"cannot read {relative}");
        var rgb = new Mat();
        Cv2.CvtColor(bgr, rgb, ColorConversionCodes.BGR2RGB);
        return rgb;
    }

    private static BoxXywh Box(JsonElement e) =>
        new(e[0].GetDouble(), e[1].GetDouble(), e[2].GetDouble(), e[3].GetDouble());

    private static byte[] Bytes(Mat m)
    {
        using var continuous = m.IsContinuous() ? m.Clone() : m.Clone();
        var result = new byte[continuous.Rows * continuous.Cols * continuous.ElemSize()];
        System.Runtime.InteropServices.Marshal.Copy(continuous.Data, result, 0, result.Length);
        return result;
    }

    private static void AssertBytesEqual(byte[] expected, byte[] actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} bytes, expected {expected.Length}");
        int diff = 0, first = -1;
        for (int i = 0; i < expected.Length; i++)
            if (expected[i] != actual[i]) { diff++; if (first < 0) first = i; }
        Assert.True(diff == 0, $"{what}: {diff} of {expected.Length} bytes differ (first at {first}: {(first >= 0 ? actual[first] : 0)} vs {(first >= 0 ? expected[first] : 0)})");
    }

    public static TheoryData<string> SampleTargetCases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Json.Value.GetProperty("sample_target").EnumerateArray()) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    [Theory]
    [MemberData(nameof(SampleTargetCases))]
    public void SampleTarget_crop_mask_and_factor_are_identical(string name)
    {
        var c = Json.Value.GetProperty("sample_target").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        using var image = ReadRgb(Path.Combine("tracking", "frames", "00000001.jpg"));
        var box = Box(c.GetProperty("box_xywh"));
        double factor = c.GetProperty("factor").GetDouble();
        int? outputSize = c.GetProperty("output_sz").ValueKind == JsonValueKind.Null ? null : c.GetProperty("output_sz").GetInt32();
        string where = $"processing.json sample_target[{name}]";

        using var crop = SampleTarget.Extract(image, box, factor, outputSize);

        var pads = c.GetProperty("derived_pads_x1_x2_y1_y2");
        Assert.True(c.GetProperty("derived_crop_sz").GetInt32() == crop.Window.CropSize, $"{where} derived_crop_sz: got {crop.Window.CropSize}");
        Assert.True(c.GetProperty("derived_x1").GetInt64() == crop.Window.X1, $"{where} derived_x1: got {crop.Window.X1}");
        Assert.True(c.GetProperty("derived_y1").GetInt64() == crop.Window.Y1, $"{where} derived_y1: got {crop.Window.Y1}");
        int[] gotPads = [crop.Window.PadLeft, crop.Window.PadRight, crop.Window.PadTop, crop.Window.PadBottom];
        Assert.True(pads.EnumerateArray().Select(p => p.GetInt32()).SequenceEqual(gotPads),
            $"{where} derived_pads_x1_x2_y1_y2: got [{string.Join(", ", gotPads)}]");
        Assert.True(c.GetProperty("resize_factor").GetDouble() == crop.ResizeFactor,
            $"{where} resize_factor: got {crop.ResizeFactor:R}, expected {c.GetProperty("resize_factor").GetDouble():R}");

        var shape = c.GetProperty("crop_shape").EnumerateArray().Select(s => s.GetInt32()).ToArray();
        Assert.True(crop.Crop.Rows == shape[0] && crop.Crop.Cols == shape[1] && crop.Crop.Channels() == shape[2],
            $"{where} crop_shape: got {crop.Crop.Rows}x{crop.Crop.Cols}x{crop.Crop.Channels()}");
        AssertBytesEqual(Processing.Value[$"st_{name}_crop"].ToByteArray(), Bytes(crop.Crop), $"processing.npz st_{name}_crop");
        var att = Bytes(crop.AttentionMask);
        AssertBytesEqual(Processing.Value[$"st_{name}_att"].ToBoolArray().Select(b => b ? (byte)1 : (byte)0).ToArray(), att,
            $"processing.npz st_{name}_att");
        Assert.True(c.GetProperty("att_mask_true_count").GetInt32() == att.Count(b => b != 0), $"{where} att_mask_true_count");
    }

    [Fact]
    public void SampleTarget_crop_size_uses_float64_ceil()
    {
        foreach (var e in Json.Value.GetProperty("crop_sz_edge_cases").EnumerateArray())
        {
            var box = new BoxXywh(100, 100, e.GetProperty("w").GetDouble(), e.GetProperty("h").GetDouble());
            var win = SampleTarget.ComputeWindow(box, e.GetProperty("factor").GetDouble(), 480, 360);
            Assert.True(e.GetProperty("python_float64_ceil").GetInt32() == win.CropSize,
                $"processing.json crop_sz_edge_cases (w {box.Width}, h {box.Height}) python_float64_ceil: got {win.CropSize}");
        }
    }

    [Fact]
    public void SampleTarget_mask_form_matches_st_mask_crop()
    {
        var c = Json.Value.GetProperty("sample_target_mask");
        using var image = ReadRgb(Path.Combine("tracking", "frames", "00000001.jpg"));
        int[] rect = Processing.Value["st_mask_input_rect_y0_y1_x0_x1"].ToIntArray();
        using var mask = torch.zeros(360, 480, dtype: torch.ScalarType.Float32);
        mask[torch.TensorIndex.Slice(rect[0], rect[1]), torch.TensorIndex.Slice(rect[2], rect[3])] = 1f;

        using var crop = SampleTarget.Extract(image, Box(c.GetProperty("box_xywh")), c.GetProperty("factor").GetDouble(),
            c.GetProperty("output_sz").GetInt32(), mask);

        Assert.True(c.GetProperty("resize_factor").GetDouble() == crop.ResizeFactor, "processing.json sample_target_mask resize_factor");
        Assert.NotNull(crop.MaskCrop);
        float[] expected = Processing.Value["st_mask_crop"].ToFloatArray();
        float[] actual = crop.MaskCrop!.data<float>().ToArray();
        Assert.Equal(expected.Length, actual.Length);
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= 1e-6, $"processing.npz st_mask_crop: max abs error {worst:E3} > 1e-6");
        AssertBytesEqual(Processing.Value["st_gt_search_crop"].ToByteArray(), Bytes(crop.Crop), "processing.npz st_gt_search_crop (mask form)");
    }

    [Fact]
    public void TransformImageToCrop_is_float32_exact()
    {
        int k = 0;
        foreach (var c in Json.Value.GetProperty("transform_image_to_crop").EnumerateArray())
        {
            var got = SampleTarget.TransformImageToCrop(Box(c.GetProperty("box_in")), Box(c.GetProperty("box_extract")),
                c.GetProperty("resize_factor").GetDouble(), c.GetProperty("crop_sz")[0].GetInt32(), c.GetProperty("normalize").GetBoolean());
            float[] expected = Processing.Value[$"tic_{k}_out"].ToFloatArray();
            float[] actual = [(float)got.X, (float)got.Y, (float)got.Width, (float)got.Height];
            Assert.True(expected.SequenceEqual(actual),
                $"processing.npz tic_{k}_out: got [{string.Join(", ", actual.Select(v => v.ToString("R")))}], expected [{string.Join(", ", expected.Select(v => v.ToString("R")))}]");
            k++;
        }
        Assert.Equal(3, k);
    }

    [Fact]
    public void ClipBox_matches_processing_json()
    {
        foreach (var c in Json.Value.GetProperty("clip_box").EnumerateArray())
        {
            var got = TrackerBoxMapping.ClipBox(Box(c.GetProperty("box")), c.GetProperty("H").GetInt32(), c.GetProperty("W").GetInt32(),
                c.GetProperty("margin").GetDouble());
            var expected = Box(c.GetProperty("out"));
            Assert.True(expected == got, $"processing.json clip_box {c.GetProperty("box")}: got {got}, expected {expected}");
        }
    }

    [Fact]
    public void MapBoxBack_matches_processing_json()
    {
        foreach (var c in Json.Value.GetProperty("map_box_back").EnumerateArray())
        {
            var p = c.GetProperty("pred_box_cxcywh");
            var got = TrackerBoxMapping.MapBoxBack(Box(c.GetProperty("state")),
                new BoxCxcywh(p[0].GetDouble(), p[1].GetDouble(), p[2].GetDouble(), p[3].GetDouble()),
                c.GetProperty("resize_factor").GetDouble(), c.GetProperty("search_size").GetInt32());
            var expected = Box(c.GetProperty("out_xywh"));
            Assert.True(expected == got, $"processing.json map_box_back {c.GetProperty("state")}: got {got:R}, expected {expected}");
        }
    }

    [Fact]
    public void Hann_windows_are_bit_identical()
    {
        AssertFloatsEqual("processing.npz hann1d_16_centered", Processing.Value["hann1d_16_centered"].ToFloatArray(), HannWindow.Hann1d(16, true));
        AssertFloatsEqual("processing.npz hann1d_16_not_centered", Processing.Value["hann1d_16_not_centered"].ToFloatArray(), HannWindow.Hann1d(16, false));
        AssertFloatsEqual("processing.npz hann2d_16", Processing.Value["hann2d_16"].ToFloatArray(), HannWindow.Hann2d(16, 16));
        AssertFloatsEqual("tracking/track.npz hann_window", Track.Value["hann_window"].ToFloatArray(), HannWindow.Hann2d(16, 16));
    }

    private static void AssertFloatsEqual(string what, float[] expected, torch.Tensor actualTensor)
    {
        using (actualTensor)
        {
            float[] actual = actualTensor.data<float>().ToArray();
            Assert.Equal(expected.Length, actual.Length);
            int bad = Enumerable.Range(0, expected.Length).Count(i => BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]));
            Assert.True(bad == 0, $"{what}: {bad} of {expected.Length} values differ in bits (max abs {expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max():E3})");
        }
    }

    [Fact]
    public void Teacher_forced_search_crops_masks_and_box_mapping_match_track_npz()
    {
        var t = Track.Value;
        double[] states = t["tf/state_used"].ToDoubleArray();
        double[] factors = t["tf/x_resize_factor"].ToDoubleArray();
        bool[] masks = t["tf/x_amask"].ToBoolArray();
        float[] predNorm = t["tf/pred_boxes_response"].ToFloatArray();
        double[] scaled = t["tf/pred_box_scaled"].ToDoubleArray();
        double[] mapped = t["tf/box_mapped_back"].ToDoubleArray();
        double[] outBox = t["tf/out_box"].ToDoubleArray();
        const int plane = 256 * 256;
        for (int r = 0; r < 20; r++)
        {
            var state = new BoxXywh(states[4 * r], states[4 * r + 1], states[4 * r + 2], states[4 * r + 3]);
            using var frame = Cv2.ImRead(Path.Combine(Dir, "tracking", "frames", $"{r + 2:D8}.jpg"), ImreadModes.Color);
            using var crop = SampleTarget.Extract(frame, state, 4.0, 256); // channel-agnostic: BGR in, BGR out
            Assert.True(factors[r] == crop.ResizeFactor, $"tracking/track.npz tf/x_resize_factor[{r}]: got {crop.ResizeFactor:R}");
            using var png = Cv2.ImRead(Path.Combine(Dir, "tracking", "crops", $"search_{r:D2}.png"), ImreadModes.Color);
            AssertBytesEqual(Bytes(png), Bytes(crop.Crop), $"tracking/crops/search_{r:D2}.png");
            AssertBytesEqual(masks.AsSpan(r * plane, plane).ToArray().Select(b => b ? (byte)1 : (byte)0).ToArray(),
                Bytes(crop.AttentionMask), $"tracking/track.npz tf/x_amask[{r}]");

            var norm = new BoxCxcywh(predNorm[4 * r], predNorm[4 * r + 1], predNorm[4 * r + 2], predNorm[4 * r + 3]);
            var px = TrackerBoxMapping.ScaleNormalizedToPixels(norm, 256, crop.ResizeFactor);
            double[] pxArr = [px.Cx, px.Cy, px.Width, px.Height];
            Assert.True(scaled.AsSpan(4 * r, 4).SequenceEqual(pxArr),
                $"tracking/track.npz tf/pred_box_scaled[{r}]: got [{string.Join(", ", pxArr.Select(v => v.ToString("R")))}]");
            var back = TrackerBoxMapping.MapBoxBack(state, px, crop.ResizeFactor, 256);
            double[] backArr = [back.X, back.Y, back.Width, back.Height];
            Assert.True(mapped.AsSpan(4 * r, 4).SequenceEqual(backArr), $"tracking/track.npz tf/box_mapped_back[{r}]: got {back}");
            var clipped = TrackerBoxMapping.ClipBox(back, frame.Rows, frame.Cols, 10);
            double[] clipArr = [clipped.X, clipped.Y, clipped.Width, clipped.Height];
            Assert.True(outBox.AsSpan(4 * r, 4).SequenceEqual(clipArr), $"tracking/track.npz tf/out_box[{r}]: got {clipped}");
        }
    }
}
