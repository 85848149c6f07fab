// The test page's script, bundled by esbuild with @speckle/viewer from npm: opens a model by its
// frontend URL as the Speckle web app's viewer does, and reports the ids its world tree holds.
/* eslint-env browser */
import {
  Viewer, DefaultViewerParams, SpeckleLoader, UrlHelper, CameraController
} from '@speckle/viewer'

const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()))

// `url` is …/projects/{project}/models/{model}; resolves once the model is drawn.
window.openModel = async function openModel ({ url, token }) {
  const container = document.getElementById('viewer')
  const viewer = new Viewer(container, { ...DefaultViewerParams, verbose: false })
  await viewer.init()
  viewer.createExtension(CameraController)

  // The URL names a model; the viewer asks GraphQL for its last version's object.
  const objectUrls = await UrlHelper.getResourceUrls(url, token)
  for (const objectUrl of objectUrls) {
    await viewer.loadObject(new SpeckleLoader(viewer.getWorldTree(), objectUrl, token, false), true)
  }

  // A few frames, so the progressive pipeline has drawn the loaded geometry.
  viewer.requestRender()
  for (let i = 0; i < 30; i++) await frame()

  // The ids of the Speckle objects the world tree holds, one per node.
  const tree = viewer.getWorldTree()
  const ids = []
  tree.walk((node) => {
    if (!tree.isRoot(node)) ids.push(node.model.id)
    return true
  })
  return { objectUrls, ids }
}
