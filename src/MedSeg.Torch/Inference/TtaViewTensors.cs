using MedSeg.Core.Inference;
using static TorchSharp.torch;

namespace MedSeg.Torch.Inference;

/// <summary>
/// <see cref="TtaView"/> on tensors: the same flips and quarter turns as its float-plane methods, on the last two axes
/// of a tensor of any rank, and the batched pass of every view through a network.
/// </summary>
public static class TtaViewTensors
{
    extension(TtaView view)
    {
        /// <summary>The input <paramref name="x"/> (…×H×W) seen through this view.</summary>
        public Tensor Apply(Tensor x)
        {
            var flipped = view.Flip ? x.flip(-1) : x;
            return view.Rotations == 0 ? flipped : flipped.rot90(view.Rotations, (-2, -1));
        }

        /// <summary>An output of the viewed input mapped back onto the original's pixel grid.</summary>
        public Tensor Invert(Tensor y)
        {
            var turned = view.Rotations == 0 ? y : y.rot90(-view.Rotations, (-2, -1));
            return view.Flip ? turned.flip(-1) : turned;
        }
    }

    extension(TtaView)
    {
        /// <summary>
        /// The network's output on every view of <paramref name="x"/> (N×C×…×H×W), each mapped back onto x's grid, in the
        /// order of <paramref name="views"/>. The views go through <paramref name="network"/> batched: all views whose inputs
        /// have the same shape stacked into one forward call (a quarter turn of a non-square input is its own group), which
        /// gives the network larger batches and fewer calls than one call per view.
        /// </summary>
        public static Tensor[] Outputs(IReadOnlyList<TtaView> views, Tensor x, Func<Tensor, Tensor> network)
        {
            var viewed = views.Select(v => v.Apply(x)).ToArray();
            var outputs = new Tensor[views.Count];
            foreach (var group in Enumerable.Range(0, views.Count).GroupBy(i => string.Join("x", viewed[i].shape)))
            {
                var members = group.ToArray();
                var y = network(members.Length == 1 ? viewed[members[0]] : cat([.. members.Select(i => viewed[i])], 0));
                var parts = members.Length == 1 ? [y] : y.split(x.shape[0]);
                for (var k = 0; k < members.Length; k++)
                {
                    outputs[members[k]] = views[members[k]].Invert(parts[k]);
                }
            }
            return outputs;
        }
    }
}
