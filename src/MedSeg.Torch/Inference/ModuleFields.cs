using System.Collections;
using System.Reflection;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Torch.Inference;

/// <summary>
/// Edits a module tree through the fields its forward passes read (TorchSharp modules keep submodules and tensors in
/// fields): every module reachable from the root — registered or kept unregistered in a field, as the classifier keeps
/// its encoder — and the module lists of containers such as Sequential. For inference-only networks
/// (<see cref="InferenceNetwork"/>): the registered state dictionaries are not updated, so such a network is not saved.
/// </summary>
internal static class ModuleFields
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly;

    /// <summary>Points every field or module-list entry holding <paramref name="old"/> at <paramref name="replacement"/>; false when none held it.</summary>
    public static bool Replace(nn.Module root, object old, object replacement)
    {
        var replaced = false;
        foreach (var module in Reachable(root))
        {
            foreach (var (owner, field, value) in Fields(module))
            {
                if (ReferenceEquals(value, old) && field.FieldType.IsInstanceOfType(replacement))
                {
                    field.SetValue(owner, replacement);
                    replaced = true;
                }
                else if (value is IList { IsReadOnly: false } list and not Array)
                {
                    for (var i = 0; i < list.Count; i++)
                    {
                        if (ReferenceEquals(list[i], old))
                        {
                            list[i] = replacement;
                            replaced = true;
                        }
                    }
                }
            }
        }
        return replaced;
    }

    /// <summary>
    /// Converts every floating-point parameter and tensor the modules hold in fields to <paramref name="type"/> (once per
    /// tensor, however many fields share it), as <c>Module.to(dtype)</c> does — which TorchSharp 0.107 cannot do for a
    /// module holding a <c>ModuleDict</c> (U-Net++): it fails on the dictionary's two indexers.
    /// </summary>
    public static void Convert(nn.Module root, ScalarType type)
    {
        var converted = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var module in Reachable(root))
        {
            foreach (var (owner, field, value) in Fields(module))
            {
                if (value is not Tensor tensor || !tensor.is_floating_point() || tensor.dtype == type)
                {
                    continue;
                }
                if (!converted.TryGetValue(tensor, out var replacement))
                {
                    var cast = tensor.detach().to(type);
                    replacement = tensor is Parameter ? new Parameter(cast, requires_grad: false) : cast;
                    converted[tensor] = replacement;
                }
                field.SetValue(owner, replacement);
            }
        }
    }

    /// <summary>The modules reachable from <paramref name="root"/> through registration, fields and module lists.</summary>
    private static IEnumerable<nn.Module> Reachable(nn.Module root)
    {
        var visited = new HashSet<nn.Module>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<nn.Module>([root, .. root.modules()]);
        while (pending.TryPop(out var module))
        {
            if (!visited.Add(module))
            {
                continue;
            }
            yield return module;
            foreach (var (_, _, value) in Fields(module))
            {
                if (value is nn.Module child)
                {
                    pending.Push(child);
                }
                else if (value is IList list and not Array)
                {
                    foreach (var element in list.OfType<nn.Module>())
                    {
                        pending.Push(element);
                    }
                }
            }
        }
    }

    private static IEnumerable<(object Owner, FieldInfo Field, object? Value)> Fields(nn.Module module)
    {
        for (var type = module.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (var field in type.GetFields(Instance))
            {
                yield return (module, field, field.GetValue(module));
            }
        }
    }
}
