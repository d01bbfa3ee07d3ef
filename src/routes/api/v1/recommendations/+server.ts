import { datasetResponse } from '$lib/server/dataset-response';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ request }) => datasetResponse(request);
