using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.OSTrack;

/// <summary>timm's transformer <c>Mlp</c> as OSTrack uses it: <c>fc1</c> → exact (erf) GELU → <c>fc2</c>
/// (dropout rate 0, so no dropout modules).</summary>
public sealed class Mlp : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly Linear fc1;
    private readonly Linear fc2;
#pragma warning restore IDE1006

    public Mlp(int dim, int hidden) : base(nameof(Mlp))
    {
        fc1 = Linear(dim, hidden, hasBias: true);
        fc2 = Linear(hidden, dim, hasBias: true);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var h = fc1.forward(x);
        using var g = functional.gelu(h);
        return fc2.forward(g);
    }
}
