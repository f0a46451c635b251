using System.Text.Json;
using OpenCvSharp;
using TrackSharp.Trackers.NanoTrack;
using Xunit;

namespace TrackSharp.Tests.NanoTrack;

/// <summary>The network against golden/nanotrack/v*/tennis_teacher_forced.npz and weights/nanotrack/layout.json.</summary>
public class NanoTrackModelTests
{
    public static TheoryData<NanoTrackVersion> Versions => new() { NanoTrackVersion.V1, NanoTrackVersion.V2, NanoTrackVersion.V3 };

    [Theory, MemberData(nameof(Versions))]
    public void StateDictNamesAndShapesEqualTheOfficialCheckpoint(NanoTrackVersion version)
    {
        var layout = JsonDocument.Parse(File.ReadAllText(
            Path.Combine(TestPaths.Shared, "weights", "nanotrack", "layout.json"))).RootElement;
        var expected = layout.GetProperty("files").GetProperty($"nanotrack{version.Name()}.pth").GetProperty("tensors")
            .EnumerateArray().ToDictionary(e => e[0].GetString()!,
                e => string.Join("x", e[1].EnumerateArray().Select(d => d.GetInt64())));
        using var model = new NanoTrackModel(version);
        var actual = model.state_dict().ToDictionary(kv => kv.Key, kv => string.Join("x", kv.Value.shape));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, shape) in expected) Assert.True(shape == actual[name], $"{name}: {actual[name]} vs {shape}");
    }

    [Theory, MemberData(nameof(Versions))]
    public void BackboneAndHeadReproduceTheReferenceOnTheGoldenCrops(NanoTrackVersion version)
    {
        using var golden = new NanoTrackGolden(version);
        using var network = new TorchNanoTrackNetwork(NanoTrackFactory.LoadModel(NanoTrackGolden.WeightsPath(version)));
        using var template = Mat.FromPixelData(127, 127, MatType.CV_8UC3, golden.U8("template/z_crop_hwc_bgr"));
        network.SetTemplate(template);
        // golden key template/zf: 1xCx8x8 float32
        Tolerance.AssertClose(golden.F32("template/zf"), network.TemplateFeatures!.data<float>().ToArray(), 1e-4, "template/zf");

        int n = network.ScoreSize * network.ScoreSize;
        var crops = golden.U8("track/x_crop_first_hwc_bgr");
        var goldenXf = golden.F32("track/xf_first");
        var goldenCls = golden.F32("track/cls");
        var goldenLoc = golden.F32("track/loc");
        int cropBytes = 255 * 255 * 3, xfSize = goldenXf.Length / 2;
        for (int j = 0; j < 3; j++)
        {
            using var crop = Mat.FromPixelData(255, 255, MatType.CV_8UC3, crops[(j * cropBytes)..((j + 1) * cropBytes)]);
            if (j < 2)
            {
                using var xf = network.EmbedSearch(crop);
                Tolerance.AssertClose(goldenXf[(j * xfSize)..((j + 1) * xfSize)], xf.data<float>().ToArray(), 1e-4, $"track/xf_first[{j}]");
            }
            var cls = new float[2 * n];
            var loc = new float[4 * n];
            network.Track(crop, cls, loc);
            Tolerance.AssertClose(goldenCls[(j * 2 * n)..((j + 1) * 2 * n)], cls, 1e-4, $"track/cls[{j}]");
            Tolerance.AssertClose(goldenLoc[(j * 4 * n)..((j + 1) * 4 * n)], loc, 1e-4, $"track/loc[{j}]");
        }
    }
}
