using CompiledNets.Checkpoints;
using CompiledNets.Training;

namespace CompiledNets;

/// <summary>
/// <c>net.Save("x.safetensors")</c> and <c>net.Load("x.safetensors")</c> for any network; see <see cref="Checkpoint"/>.
/// In the <c>CompiledNets</c> namespace, next to <see cref="INetwork"/>, so they need no extra using directive.
/// </summary>
public static class CheckpointExtensions
{
    /// <summary>Saves the network (and optimizer state when given) atomically; see <see cref="Checkpoint.Save{TNetwork}(TNetwork, string, IOptimizer?)"/>.</summary>
    public static void Save<TNetwork>(this TNetwork network, string path, IOptimizer? optimizer = null)
        where TNetwork : INetwork => Checkpoint.Save(network, path, optimizer);

    /// <summary>Loads a validated checkpoint into the network (and optimizer); see <see cref="Checkpoint.Load{TNetwork}(TNetwork, string, IOptimizer?)"/>.</summary>
    public static void Load<TNetwork>(this TNetwork network, string path, IOptimizer? optimizer = null)
        where TNetwork : INetwork => Checkpoint.Load(network, path, optimizer);

    /// <summary>Loads the weights of a safetensors file from another tool by tensor name and shape; see <see cref="Checkpoint.LoadForeign{TNetwork}"/>.</summary>
    public static void LoadForeign<TNetwork>(this TNetwork network, string path)
        where TNetwork : INetwork => Checkpoint.LoadForeign(network, path);
}
