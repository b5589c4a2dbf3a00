using CompiledNets.Generator.Helpers;

namespace CompiledNets.Generator.Model;

/// <summary>
/// Everything the generator reads from one [Network] class, as equatable data (no symbols, syntax or
/// locations), so an unrelated edit leaves it equal and the rest of the pipeline cached.
/// </summary>
/// <param name="Input">The Network attribute's Input; null when not set.</param>
/// <param name="Shape">The Network attribute's Shape (channels, height, width) as written; see <paramref name="HasShape"/>.</param>
/// <param name="Forward">The Forward form (layer members and the Forward method); null for an attribute list.</param>
/// <param name="NetworkLocation">The [Network] attribute, where network-level diagnostics point.</param>
internal sealed record NetworkInfo(
    NetworkTypeInfo Type,
    int? Input,
    EquatableArray<LayerInfo> Layers,
    LocationInfo? NetworkLocation,
    EquatableArray<int> Shape = default,
    bool HasShape = false,
    ForwardInfo? Forward = null);
