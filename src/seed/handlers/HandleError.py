import json
from datetime import datetime

def lambda_handler(event, context):
    """
    Gère les erreurs du workflow.
    """
    print(f"HandleError - Event reçu: {json.dumps(event)}")
    
    error_info = {
        'errorType': 'VALIDATION_ERROR',
        'errorMessage': event.get('error', 'Erreur inconnue'),
        'originalInput': event.get('input', {}),
        'timestamp': datetime.utcnow().isoformat(),
        'workflowStatus': 'FAILED'
    }
    
    # Ici on pourrait envoyer une alerte SNS
    
    return {
        'statusCode': 400,
        'message': 'Workflow échoué',
        'errorDetails': error_info
    }
