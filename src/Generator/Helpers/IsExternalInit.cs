// Records and init-only setters on netstandard2.0 need this marker type, which the BCL only ships from .NET 5.
namespace System.Runtime.CompilerServices;

internal static class IsExternalInit
{
}
