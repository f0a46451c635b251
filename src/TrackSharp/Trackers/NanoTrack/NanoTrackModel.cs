using TrackSharp.Nn.Backbones;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.NanoTrack;

/// <summary>
/// The NanoTrack network (reference <c>ModelBuilder</c>): truncated MobileNetV3-small backbone, the unused
/// <c>neck</c> (kept only so the official state dicts load with an exact key set) and the version's
/// <c>ban_head</c>. Inputs are BGR crops with values 0..255, not normalised.
/// </summary>
public sealed class NanoTrackModel : Module<Tensor, Tensor, (Tensor Cls, Tensor Loc)>
{
#pragma warning disable IDE1006
    private readonly MobileNetV3Small backbone;
    private readonly Module<Tensor, Tensor> neck;
    private readonly BanHead ban_head;
#pragma warning restore IDE1006

    public NanoTrackVersion Version { get; }

    public NanoTrackModel(NanoTrackVersion version) : base(nameof(NanoTrackModel))
    {
        Version = version;
        var blocks = MobileNetV3Small.SmallBlocks.ToList();
        if (version == NanoTrackVersion.V3) blocks.Add(MobileNetV3Small.V3ExtraBlock);
        backbone = new MobileNetV3Small(blocks);
        int neckChannels = version == NanoTrackVersion.V3 ? 96 : 64;
        neck = new AdjustLayer(neckChannels);
        ban_head = version switch
        {
            NanoTrackVersion.V1 => new BanHeadV1(),
            NanoTrackVersion.V2 => new BanHeadV2(),
            _ => new BanHeadV3(),
        };
        RegisterComponents();
    }

    /// <summary>The MobileNetV3 backbone (<c>backbone.features.*</c>), the part BACKBONE.TRAIN_LAYERS unfreezes in training.</summary>
    public MobileNetV3Small Backbone => backbone;

    /// <summary>The unused <c>neck</c>: in the optimizer as in the reference, it never gets a gradient.</summary>
    public Module<Tensor, Tensor> Neck => neck;

    /// <summary>The version's <c>ban_head</c>.</summary>
    public BanHead HeadModule => ban_head;

    /// <summary>Backbone features of a crop (127 -> 8x8, 255 -> 16x16).</summary>
    public Tensor Embed(Tensor crop) => backbone.forward(crop);

    /// <summary>Head outputs for template features and search features.</summary>
    public (Tensor Cls, Tensor Loc) Head(Tensor templateFeatures, Tensor searchFeatures) =>
        ban_head.forward(templateFeatures, searchFeatures);

    /// <summary>
    /// A fast inference-only form of this model in its current state (see <see cref="NanoTrackInference"/>). The
    /// registered modules, their names and the state_dict are unchanged, so training keeps using the modules.
    /// </summary>
    public NanoTrackInference PrepareForInference()
    {
        using var noGrad = no_grad();
        return new NanoTrackInference(backbone.PrepareForInference(), ban_head.PrepareForInference());
    }

    public override (Tensor Cls, Tensor Loc) forward(Tensor template, Tensor search)
    {
        using var z = Embed(template);
        using var x = Embed(search);
        return Head(z, x);
    }

    /// <summary>The reference's <c>AdjustLayer</c> (<c>neck.downsample</c> = 1x1 conv + BN); never called in tracking.</summary>
    private sealed class AdjustLayer : Module<Tensor, Tensor>
    {
#pragma warning disable IDE1006
        private readonly Sequential downsample;
#pragma warning restore IDE1006

        public AdjustLayer(int channels) : base(nameof(AdjustLayer))
        {
            downsample = Sequential(Conv2d(channels, channels, 1, bias: false), BatchNorm2d(channels));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => downsample.forward(x);
    }
}
